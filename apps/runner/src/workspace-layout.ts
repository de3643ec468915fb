/**
 * Where everything lives in a session workspace (the layout of the system we replace, §4.4):
 * `repos/<name>` (one clone per spec repo; the first is the agent's cwd), `artifacts` (outputs that
 * belong to no repo), `.claude` (the CLI's state, so resume works), `.ambient` (runner state).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunnerConfig } from './config.ts';
import { writeCredentialHelper } from './git-credential-helper.ts';
import { parseRepositoryUrl } from './git-remote-url.ts';

export interface RepoLayout {
  name: string;
  path: string;
  /** Without credentials: safe for prompts, logs, events and status. */
  url: string;
  /** The branch the agent works on: the spec's branch, else `ambient/<session name>`. */
  branch: string;
  autoPush: boolean;
}

export interface WorkspaceLayout {
  workspaceDir: string;
  /** Claude Code's working directory: the first repo, else the artifacts directory. */
  cwd: string;
  reposDir: string;
  artifactsDir: string;
  homeDir: string;
  claudeConfigDir: string;
  stateDir: string;
  /** The git credential helper script (it holds no secret; see git-credential-helper.ts). */
  credentialHelperPath: string;
  repos: RepoLayout[];
}

/** `https://host/org/my-repo.git` → `my-repo`; anything unsafe in a path segment becomes `-`. */
export function repoDirectoryName(url: string, index: number): string {
  const lastSegment =
    url
      .replace(/[/\\]+$/, '')
      .split(/[/\\:]/)
      .at(-1) ?? '';
  const name = lastSegment
    .replace(/\.git$/, '')
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^\.+/, '');
  return name || `repo-${index + 1}`;
}

/** `app`, `app` → `app`, `app-2`: two repos of the same name in different orgs both get a directory. */
export function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let suffix = 2; used.has(candidate); suffix += 1) candidate = `${name}-${suffix}`;
    used.add(candidate);
    return candidate;
  });
}

export function workingBranch(sessionName: string, specBranch: string | undefined): string {
  return specBranch?.trim() || `ambient/${sessionName}`;
}

export function workspaceLayout(config: RunnerConfig): WorkspaceLayout {
  const workspaceDir = config.workspaceDir;
  const reposDir = join(workspaceDir, 'repos');
  const specRepos = config.spec.repos ?? [];
  const urls = specRepos.map((repo) => parseRepositoryUrl(repo.url).url);
  const names = uniqueNames(urls.map((url, index) => repoDirectoryName(url, index)));
  const repos = specRepos.map((repo, index) => {
    const name = names[index] ?? `repo-${index + 1}`;
    return {
      name,
      path: join(reposDir, name),
      url: urls[index] ?? '',
      branch: workingBranch(config.sessionName, repo.branch),
      autoPush: repo.autoPush,
    };
  });
  const artifactsDir = join(workspaceDir, 'artifacts');
  const stateDir = join(workspaceDir, '.ambient');
  return {
    workspaceDir,
    cwd: repos[0]?.path ?? artifactsDir,
    reposDir,
    artifactsDir,
    homeDir: join(stateDir, 'home'),
    claudeConfigDir: join(workspaceDir, '.claude'),
    stateDir,
    credentialHelperPath: join(stateDir, 'bin', 'git-credential-ambient'),
    repos,
  };
}

/** Creates the directories the CLI needs; repo directories are made by cloning (repositories.ts). */
export function prepareWorkspace(layout: WorkspaceLayout): void {
  const directories = [
    layout.artifactsDir,
    layout.homeDir,
    layout.claudeConfigDir,
    layout.stateDir,
  ];
  if (layout.repos.length > 0) directories.push(layout.reposDir);
  for (const directory of directories) mkdirSync(directory, { recursive: true });
  writeCredentialHelper(layout.credentialHelperPath);
}
