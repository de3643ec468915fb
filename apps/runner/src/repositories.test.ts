/** Cloning against a real git http-backend (no Claude Code involved). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGitServer } from '@ambient/git-testing';
import type { GitServer } from '@ambient/git-testing';
import type { SessionRepo } from '@ambient/contracts';
import { repositoryGitEnvironment } from './claude-options.ts';
import type { RunnerConfig } from './config.ts';
import { gitSecrets, loadGitAccess } from './git-credentials.ts';
import { silentLogger } from './log.ts';
import { cloneProblems, cloneRepositories } from './repositories.ts';
import { prepareWorkspace, workspaceLayout } from './workspace-layout.ts';

const TOKEN = 'repo-token-0123456789';

function runnerConfig(
  workspaceDir: string,
  repos: SessionRepo[],
  env: Record<string, string> = {},
): RunnerConfig {
  return {
    serverUrl: 'http://127.0.0.1:1',
    token: 'runner-token',
    project: 'p',
    sessionName: 'session-7',
    workspaceDir,
    spec: { interactive: true, repos },
    model: { passThrough: {} },
    git: loadGitAccess(env),
  };
}

async function clone(config: RunnerConfig) {
  const layout = workspaceLayout(config);
  prepareWorkspace(layout);
  const reports = await cloneRepositories({
    layout,
    gitEnvironment: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: layout.homeDir,
      LC_ALL: 'C',
      ...repositoryGitEnvironment(config, layout),
    },
    secrets: gitSecrets(config.spec.repos ?? [], config.git),
    log: silentLogger,
  });
  return { layout, reports };
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

describe('cloneRepositories', () => {
  let server: GitServer | undefined;
  let workspace: string | undefined;
  afterEach(async () => {
    await server?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
    server = undefined;
    workspace = undefined;
  });

  it('checks out the spec branch, else creates ambient/<session>; de-duplicates names', async () => {
    server = await startGitServer();
    const app = await server.createRepository('app', { 'a.txt': 'a' }, { branch: 'trunk' });
    await server.createBranch('app', 'feature', 'trunk');
    const other = await server.createRepository('team/app', { 'b.txt': 'b' });
    workspace = mkdtempSync(join(tmpdir(), 'repos-'));
    const { reports, layout } = await clone(
      runnerConfig(workspace, [
        { url: app, branch: 'feature', autoPush: false },
        { url: other, autoPush: true },
      ]),
    );
    expect(reports).toEqual([
      { name: 'app', url: app, branch: 'feature', status: 'Ready' },
      { name: 'app-2', url: other, branch: 'ambient/session-7', status: 'Ready' },
    ]);
    expect(git(join(layout.reposDir, 'app'), 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('feature');
    const second = join(layout.reposDir, 'app-2');
    expect(git(second, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('ambient/session-7');
    expect(readFileSync(join(second, 'b.txt'), 'utf8')).toBe('b');
    expect(git(second, 'config', 'remote.origin.partialclonefilter')).toBe('blob:none');
  });

  it('uses a token from the URL without storing it, and keeps an existing clone as it is', async () => {
    server = await startGitServer({ requireToken: TOKEN });
    const url = await server.createRepository('private', { 'a.txt': 'a' });
    const withToken = url.replace('http://', `http://someone:${TOKEN}@`);
    workspace = mkdtempSync(join(tmpdir(), 'repos-'));
    const config = runnerConfig(workspace, [{ url: withToken, autoPush: false }]);
    const first = await clone(config);
    expect(first.reports[0]).toMatchObject({ url, status: 'Ready' });
    const repoPath = join(first.layout.reposDir, 'private');
    expect(readFileSync(join(repoPath, '.git', 'config'), 'utf8')).not.toContain(TOKEN);
    expect(server.requests.some((request) => request.user === 'someone')).toBe(true);

    writeFileSync(join(repoPath, 'a.txt'), 'changed, not committed');
    const requestsBefore = server.requests.length;
    const second = await clone(config);
    expect(second.reports[0]).toMatchObject({ status: 'Ready', branch: 'ambient/session-7' });
    expect(readFileSync(join(repoPath, 'a.txt'), 'utf8')).toBe('changed, not committed');
    expect(server.requests.length).toBe(requestsBefore);
  });

  it('reports a missing repository and a refused credential, with credentials redacted', async () => {
    server = await startGitServer({ requireToken: TOKEN });
    const url = await server.createRepository('private', { 'a.txt': 'a' });
    const other = await server.createRepository('other', { 'b.txt': 'b' });
    workspace = mkdtempSync(join(tmpdir(), 'repos-'));
    const wrongToken = 'wrong-token-987654321';
    const { reports } = await clone(
      runnerConfig(
        workspace,
        [
          { url: `${server.url}/missing.git`, autoPush: false },
          { url: url.replace('http://', `http://x:${wrongToken}@`), autoPush: false },
          { url: other, autoPush: false },
        ],
        { GIT_TOKEN: TOKEN },
      ),
    );
    expect(reports.map((report) => report.status)).toEqual(['Failed', 'Failed', 'Ready']);
    expect(reports[0]?.message).toMatch(/not found/);
    expect(reports[1]?.message).toMatch(/Authentication failed/);
    const problems = cloneProblems(reports).join('\n');
    expect(problems).toContain('repository "missing"');
    expect(problems).not.toContain(wrongToken);
    expect(problems).not.toContain(TOKEN);
  });
});
