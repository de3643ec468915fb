/**
 * Dependencies flow one way (docs/adr/0001-monorepo-layout.md): the layering below is checked
 * against every `@ambient/*` import in every package's and app's sources, so a shortcut (a runtime
 * adapter importing the API server, contracts importing the domain) fails here, not in review.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Which internal packages each workspace may import (production sources; tests may use testing helpers). */
const ALLOWED: Record<string, string[]> = {
  contracts: [],
  'controller-kit': [],
  logger: [],
  'fake-model': [],
  'git-testing': [],
  core: ['contracts'],
  crds: ['contracts'],
  'agent-driver': ['contracts'],
  client: ['contracts'],
  reconcilers: ['contracts', 'core', 'controller-kit'],
  'runtime-local': ['contracts', 'core'],
  'runtime-postgres': ['contracts', 'core'],
  'runtime-kube': ['contracts', 'core'],
  'api-server': ['contracts', 'core', 'logger'],
  testing: ['contracts', 'core', 'fake-model'],
  'kube-testing': [],
};

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (entry === 'node_modules' || entry === '__fixtures__') continue;
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(entry)) files.push(path);
  }
  return files;
}

const isTestCode = (path: string): boolean => /\.test\.tsx?$|\/test-support\/|\/test\/|test-[a-z-]+\.ts$/.test(path);

function internalImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from\s+'@ambient\/([a-z-]+)/g)].map((match) => match[1]!);
}

describe('module boundaries', () => {
  for (const [workspace, allowed] of Object.entries(ALLOWED)) {
    it(`packages/${workspace} imports only ${allowed.length ? allowed.join(', ') : 'nothing internal'}`, () => {
      const violations = sourceFiles(join(REPO_ROOT, 'packages', workspace, 'src'))
        .filter((file) => !isTestCode(file))
        .flatMap((file) =>
          internalImports(file)
            .filter((target) => target !== workspace && !allowed.includes(target))
            .map((target) => `${relative(REPO_ROOT, file)} → @ambient/${target}`),
        );
      expect(violations).toEqual([]);
    });
  }

  it('no package imports an app', () => {
    const apps = readdirSync(join(REPO_ROOT, 'apps'));
    const violations = Object.keys(ALLOWED).flatMap((workspace) =>
      sourceFiles(join(REPO_ROOT, 'packages', workspace, 'src')).flatMap((file) =>
        internalImports(file)
          .filter((target) => apps.includes(target))
          .map((target) => `${relative(REPO_ROOT, file)} → @ambient/${target}`),
      ),
    );
    expect(violations).toEqual([]);
  });
});
