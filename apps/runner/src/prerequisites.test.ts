import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunnerConfig } from './config.ts';
import { loadGitAccess } from './git-credentials.ts';
import { checkPrerequisites } from './prerequisites.ts';

describe('checkPrerequisites', () => {
  let directory: string;
  const config = (workspaceDir: string, apiKey?: string, passThrough: Record<string, string> = {}): RunnerConfig => ({
    serverUrl: 'http://127.0.0.1:1',
    token: 't',
    project: 'p',
    sessionName: 's',
    workspaceDir,
    spec: { interactive: true },
    model: { apiKey, passThrough },
    git: loadGitAccess({}),
  });

  beforeEach(() => (directory = mkdtempSync(join(tmpdir(), 'prerequisites-'))));
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('passes with an API key and a writable workspace', () => {
    expect(checkPrerequisites(config(directory, 'sk-ant-key'))).toEqual({
      problems: [],
      workspaceWritable: true,
    });
  });

  it('reports a missing API key', () => {
    expect(checkPrerequisites(config(directory)).problems).toEqual([
      'ANTHROPIC_API_KEY is not set (nor Vertex AI / Bedrock): Claude Code cannot reach the model; set it in the project runner secrets',
    ]);
  });

  it.each([
    [{ CLAUDE_CODE_USE_VERTEX: '1', CLOUD_ML_REGION: 'us-east5' }],
    [{ CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1' }],
  ])('needs no API key with Vertex AI or Bedrock (%o)', (passThrough) => {
    expect(checkPrerequisites(config(directory, undefined, passThrough)).problems).toEqual([]);
  });

  it('reports a non-interactive session without a prompt', () => {
    const problems = checkPrerequisites({
      ...config(directory, 'k'),
      spec: { interactive: false },
    }).problems;
    expect(problems).toEqual(['a non-interactive session needs an initialPrompt']);
  });

  it.each([
    ['a file', (base: string) => (writeFileSync(join(base, 'file'), ''), join(base, 'file'))],
    ['missing', (base: string) => join(base, 'missing')],
  ])(
    'reports a workspace that is %s (checked by writing, since root passes permission bits)',
    (_name, make) => {
      const report = checkPrerequisites(config(make(directory), 'sk-ant-key'));
      expect(report.workspaceWritable).toBe(false);
      expect(report.problems[0]).toMatch(/is not a writable directory/);
    },
  );
});
