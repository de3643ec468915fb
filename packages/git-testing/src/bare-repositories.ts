/**
 * Bare repositories under the server's root, created and inspected with the real git CLI.
 * Commits use a fixed identity and date-independent content, so tests do not depend on the
 * machine's git configuration (HOME and the global/system config are ignored).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** An environment that keeps the developer's own git configuration out of the test. */
export function isolatedGitEnvironment(): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: tmpdir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Git Testing',
    GIT_AUTHOR_EMAIL: 'git-testing@example.invalid',
    GIT_COMMITTER_NAME: 'Git Testing',
    GIT_COMMITTER_EMAIL: 'git-testing@example.invalid',
    LC_ALL: 'C',
  };
}

export async function git(args: string[], cwd?: string): Promise<string> {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env: isolatedGitEnvironment(),
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** `my-repo` and `my-repo.git` both name `<root>/my-repo.git`. */
export function bareRepositoryPath(root: string, name: string): string {
  const base = name.endsWith('.git') ? name : `${name}.git`;
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(base) || base.split('/').includes('..')) {
    throw new Error(`invalid repository name: ${name}`);
  }
  return join(root, base);
}

export async function createBareRepository(
  root: string,
  name: string,
  files: Record<string, string>,
  branch: string,
): Promise<string> {
  const barePath = bareRepositoryPath(root, name);
  await mkdir(dirname(barePath), { recursive: true });
  await git(['init', '--quiet', '--bare', `--initial-branch=${branch}`, barePath]);
  // Push over HTTP is off by default for anonymous users; partial clone needs allowFilter.
  await git(['config', 'http.receivepack', 'true'], barePath);
  await git(['config', 'uploadpack.allowFilter', 'true'], barePath);
  if (Object.keys(files).length === 0) return barePath;

  const workDir = await mkdtemp(join(tmpdir(), 'git-testing-seed-'));
  try {
    await git(['init', '--quiet', `--initial-branch=${branch}`], workDir);
    for (const [path, content] of Object.entries(files)) {
      const target = join(workDir, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    await git(['add', '--all'], workDir);
    await git(['commit', '--quiet', '-m', 'initial commit'], workDir);
    await git(['push', '--quiet', barePath, `HEAD:refs/heads/${branch}`], workDir);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return barePath;
}

/** Adds a branch pointing at `from`'s commit (for tests that check out a non-default branch). */
export async function createBranch(barePath: string, branch: string, from: string): Promise<void> {
  await git(['branch', branch, from], barePath);
}

export async function readBranchFile(
  barePath: string,
  branch: string,
  path: string,
): Promise<string> {
  return git(['show', `refs/heads/${branch}:${path}`], barePath);
}

export async function listBranches(barePath: string): Promise<string[]> {
  const output = await git(['for-each-ref', '--format=%(refname:short)', 'refs/heads'], barePath);
  return output.split('\n').filter((line) => line.length > 0);
}
