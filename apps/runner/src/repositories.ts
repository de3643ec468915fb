/**
 * Clones the session's repositories into the workspace before the first query.
 *
 * Rules: the working branch is the spec's `branch`, else `ambient/<session name>`. If it exists on
 * the remote it is cloned as it is (a later run continues the pushed work); otherwise the remote's
 * default branch is cloned and the working branch created from it. A repository already cloned (a
 * restarted or resumed runner) is kept exactly as it is: the agent's work, committed or not,
 * lives there. A clone goes to a hidden `.partial` directory first and is renamed into place
 * only when complete, so a runner killed mid-clone never leaves a half repo that looks finished.
 */
import { existsSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CUSTOM_EVENT, EventType } from '@ambient/contracts';
import type { AgUiEvent } from '@ambient/contracts';
import { runGit } from './git-command.ts';
import { stripUrlCredentials } from './git-remote-url.ts';
import type { Logger } from './log.ts';
import { describeError } from './redact.ts';
import type { RepoLayout, WorkspaceLayout } from './workspace-layout.ts';

export interface RepoReport {
  name: string;
  /** Credential-free. */
  url: string;
  branch: string;
  status: 'Ready' | 'Failed';
  message?: string;
}

export interface CloneOptions {
  layout: WorkspaceLayout;
  /** PATH, HOME and the git environment of git-credentials.ts: never the runner's own env. */
  gitEnvironment: Record<string, string>;
  /** Redacted from git's messages (tokens, URL credentials). */
  secrets: readonly string[];
  log: Logger;
  /** Per git command (default 5 min). */
  timeoutMs?: number;
}

export const DEFAULT_CLONE_TIMEOUT_MS = 5 * 60_000;
/** Local commands (branch name checks, reading HEAD) never need long. */
const LOCAL_TIMEOUT_MS = 30_000;

export async function cloneRepositories(options: CloneOptions): Promise<RepoReport[]> {
  // In parallel: a session with several repos should not wait for them one after the other.
  return Promise.all(options.layout.repos.map((repo) => cloneRepository(repo, options)));
}

async function cloneRepository(repo: RepoLayout, options: CloneOptions): Promise<RepoReport> {
  const partialPath = join(options.layout.reposDir, `.${repo.name}.partial`);
  try {
    if (existsSync(join(repo.path, '.git'))) {
      const branch = await currentBranch(repo.path, options);
      options.log.info(`repository ${repo.name}: keeping the existing clone (on ${branch})`);
      return { name: repo.name, url: repo.url, branch, status: 'Ready' };
    }
    if (existsSync(repo.path) && readdirSync(repo.path).length > 0) {
      throw new Error(`${repo.path} exists and is not a git repository`);
    }
    if (repo.url.startsWith('-')) throw new Error('the URL must not start with "-"');
    await checkBranchName(repo.branch, options);
    const onRemote = await remoteHasBranch(repo, options);
    rmSync(partialPath, { recursive: true, force: true });
    const git = (args: string[], cwd?: string) =>
      runGit(args, { cwd, env: options.gitEnvironment, timeoutMs: cloneTimeout(options) });
    // blob:none fetches file contents on demand; servers without filter support ignore it.
    await git([
      'clone',
      '--quiet',
      '--filter=blob:none',
      ...(onRemote ? ['--branch', repo.branch] : []),
      '--',
      repo.url,
      partialPath,
    ]);
    if (!onRemote) await git(['checkout', '--quiet', '-b', repo.branch], partialPath);
    if (existsSync(repo.path)) rmdirSync(repo.path); // empty (checked above)
    renameSync(partialPath, repo.path);
    options.log.info(
      `repository ${repo.name}: cloned ${repo.url} on ${repo.branch}` +
        (onRemote ? '' : ' (new branch)'),
    );
    return { name: repo.name, url: repo.url, branch: repo.branch, status: 'Ready' };
  } catch (error) {
    rmSync(partialPath, { recursive: true, force: true });
    const message = stripUrlCredentials(describeError(error, options.secrets));
    options.log.warn(`repository ${repo.name}: cannot clone ${repo.url}: ${message}`);
    return { name: repo.name, url: repo.url, branch: repo.branch, status: 'Failed', message };
  }
}

function cloneTimeout(options: CloneOptions): number {
  return options.timeoutMs ?? DEFAULT_CLONE_TIMEOUT_MS;
}

async function checkBranchName(branch: string, options: CloneOptions): Promise<void> {
  try {
    await runGit(['check-ref-format', '--branch', branch], {
      env: options.gitEnvironment,
      timeoutMs: LOCAL_TIMEOUT_MS,
    });
  } catch {
    throw new Error(`"${branch}" is not a valid branch name`);
  }
}

/** Also the first contact with the server: a wrong URL or credential fails here, before any write. */
async function remoteHasBranch(repo: RepoLayout, options: CloneOptions): Promise<boolean> {
  const { stdout } = await runGit(
    ['ls-remote', '--symref', repo.url, 'HEAD', `refs/heads/${repo.branch}`],
    {
      env: options.gitEnvironment,
      timeoutMs: cloneTimeout(options),
    },
  );
  return stdout.split('\n').some((line) => line.endsWith(`\trefs/heads/${repo.branch}`));
}

async function currentBranch(path: string, options: CloneOptions): Promise<string> {
  const run = (args: string[]) =>
    runGit(args, { cwd: path, env: options.gitEnvironment, timeoutMs: LOCAL_TIMEOUT_MS });
  try {
    return (await run(['symbolic-ref', '--short', 'HEAD'])).stdout.trim();
  } catch {
    // A detached HEAD (the agent checked out a commit): report the commit.
    return (await run(['rev-parse', '--short', 'HEAD'])).stdout.trim();
  }
}

/** The CUSTOM event the controller folds into status.repos. */
export function reposEvent(reports: readonly RepoReport[]): AgUiEvent {
  return {
    type: EventType.CUSTOM,
    timestamp: Date.now(),
    name: CUSTOM_EVENT.repos,
    value: { repos: reports },
  };
}

/** One prerequisite problem per repository that could not be cloned. */
export function cloneProblems(reports: readonly RepoReport[]): string[] {
  return reports
    .filter((report) => report.status === 'Failed')
    .map(
      (report) =>
        `repository "${report.name}" (${report.url}) could not be cloned: ${report.message ?? 'unknown error'}`,
    );
}
