/**
 * Repositories in the workspace, end to end: the REAL runner process clones from a REAL git
 * http-backend, REAL Claude Code (against the project's fake model) commits and pushes with the
 * credential mechanism, and no token ever shows up where it must not.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT, EventType, RUNNER_EXIT } from '@ambient/contracts';
import { startGitServer } from '@ambient/git-testing';
import type { GitServer, RecordedGitRequest } from '@ambient/git-testing';
import { RunnerHarness } from './runner-harness.ts';

const TEST_TIMEOUT_MS = 60_000;
const SESSION = 'session-test';
const WORKING_BRANCH = `ambient/${SESSION}`;
const PUSH = 'RUN_BASH git add -A && git commit -m test && git push origin HEAD';

describe('runner with git repositories (real git, real Claude Code)', () => {
  let harness: RunnerHarness | undefined;
  let server: GitServer | undefined;
  afterEach(async () => {
    await harness?.close();
    await server?.close();
    harness = undefined;
    server = undefined;
  });

  const reposValue = () =>
    harness!.eventsOf(EventType.CUSTOM, CUSTOM_EVENT.repos).at(-1)?.['value'] as
      { repos: Record<string, unknown>[] } | undefined;

  it(
    'clones two repos (default → ambient/<session>, named branch), the agent commits and pushes from the first',
    async () => {
      const token = 'generic-git-token-0123456789';
      server = await startGitServer({ requireToken: token });
      const app = await server.createRepository('app', { 'README.md': '# app\n' });
      const lib = await server.createRepository('lib', { 'lib.txt': 'lib\n' }, { branch: 'trunk' });
      await server.createBranch('lib', 'feature', 'trunk');
      harness = await RunnerHarness.start(SESSION);

      const runner = harness.spawnRunner(
        {
          interactive: false,
          initialPrompt: `WRITE_FILE notes.txt written by the agent\n${PUSH}`,
          repos: [
            { url: app, autoPush: true },
            { url: lib, branch: 'feature', autoPush: false },
          ],
        },
        { GIT_TOKEN: token },
      );

      expect(await runner.exited).toEqual({ code: RUNNER_EXIT.success, signal: null });
      expect(reposValue()).toEqual({
        repos: [
          { name: 'app', url: app, branch: WORKING_BRANCH, status: 'Ready' },
          { name: 'lib', url: lib, branch: 'feature', status: 'Ready' },
        ],
      });
      const appPath = join(harness.workspaceDir, 'repos', 'app');
      expect(readFileSync(join(appPath, 'notes.txt'), 'utf8')).toBe('written by the agent');
      expect(gitIn(join(harness.workspaceDir, 'repos', 'lib'), 'branch', '--show-current')).toBe(
        'feature',
      );
      // The push reached the server on the working branch, with the platform's commit identity.
      expect(await server.branches('app')).toEqual([WORKING_BRANCH, 'main']);
      expect(await server.readFile('app', WORKING_BRANCH, 'notes.txt')).toBe(
        'written by the agent',
      );
      expect(
        gitIn(join(server.root, 'app.git'), 'log', '-1', '--format=%an <%ae>', WORKING_BRANCH),
      ).toBe('Ambient Agent <agent@ambient.local>');
      const bash = harness.channel.eventList().find((event) => event['toolCallName'] === 'Bash');
      expect(bash).toBeDefined();
      expect(runner.stderr()).not.toContain(token);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a token in the repo URL never appears in events, the outbox, logs, .git/config or any argv',
    async () => {
      const token = 'url-token-abcdef0123456789';
      const commandLinesWithToken: string[] = [];
      let gitProcessesSeen = 0;
      server = await startGitServer({
        requireToken: token,
        // Runs while the client's git processes are alive: their argv must not hold the token.
        onRequest: () => {
          const scan = scanCommandLines(token);
          gitProcessesSeen += scan.gitProcesses;
          commandLinesWithToken.push(...scan.matches);
        },
      });
      const app = await server.createRepository('app', { 'README.md': '# app\n' });
      const urlWithToken = app.replace('http://', `http://agent:${token}@`);
      harness = await RunnerHarness.start(SESSION);

      const runner = harness.spawnRunner({
        interactive: false,
        // `env` prints the agent's environment (the credential is in it): the event must not.
        initialPrompt: `WRITE_FILE notes.txt secret-free\n${PUSH} && env`,
        repos: [{ url: urlWithToken, autoPush: true }],
      });

      expect(await runner.exited).toEqual({ code: RUNNER_EXIT.success, signal: null });
      expect(await server.readFile('app', WORKING_BRANCH, 'notes.txt')).toBe('secret-free');
      expect(
        server.requests.filter((request: RecordedGitRequest) => request.user === 'agent').length,
      ).toBeGreaterThan(0);

      expect(gitProcessesSeen).toBeGreaterThan(0);
      expect(commandLinesWithToken).toEqual([]);
      const events = JSON.stringify(harness.channel.eventList());
      expect(events).not.toContain(token);
      expect(events).toContain('[redacted]'); // the env output, redacted
      expect(reposValue()?.repos[0]).toMatchObject({ url: app, status: 'Ready' });
      const stateDir = join(harness.workspaceDir, '.ambient');
      for (const file of readdirSync(stateDir).filter((name) => name.startsWith('outbox'))) {
        expect(readFileSync(join(stateDir, file), 'utf8')).not.toContain(token);
      }
      expect(runner.stderr()).not.toContain(token);
      const gitDir = join(harness.workspaceDir, 'repos', 'app', '.git');
      expect(readFileSync(join(gitDir, 'config'), 'utf8')).not.toContain(token);
      expect(gitIn(gitDir, 'config', 'remote.origin.url')).toBe(app);
      expect(grepRecursive(gitDir, token)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a repository that cannot be cloned: RUN_ERROR PrerequisiteFailed naming it, exit 2',
    async () => {
      const token = 'url-token-for-a-missing-repo-42';
      server = await startGitServer();
      harness = await RunnerHarness.start(SESSION);
      const missing = `${server.url}/missing.git`;
      const runner = harness.spawnRunner({
        interactive: false,
        initialPrompt: 'hi',
        repos: [{ url: missing.replace('http://', `http://u:${token}@`), autoPush: false }],
      });

      expect(await runner.exited).toEqual({ code: RUNNER_EXIT.prerequisiteFailed, signal: null });
      const error = harness.eventsOf(EventType.RUN_ERROR)[0];
      expect(error).toMatchObject({ code: 'PrerequisiteFailed' });
      expect(String(error?.['message'])).toContain(`repository "missing" (${missing})`);
      expect(String(error?.['message'])).toMatch(/not found/);
      expect(reposValue()?.repos[0]).toMatchObject({
        name: 'missing',
        url: missing,
        status: 'Failed',
      });
      expect(JSON.stringify(harness.channel.eventList())).not.toContain(token);
      expect(runner.stderr()).not.toContain(token);
      expect(existsSync(join(harness.workspaceDir, 'repos', 'missing'))).toBe(false);
      expect(harness.model.requests).toHaveLength(0); // Claude Code never started
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a restarted runner keeps the existing clone and its uncommitted changes',
    async () => {
      server = await startGitServer();
      const app = await server.createRepository('app', { 'README.md': '# app\n' });
      harness = await RunnerHarness.start(SESSION);
      const spec = { interactive: false, repos: [{ url: app, autoPush: false }] };
      const first = harness.spawnRunner({
        ...spec,
        initialPrompt: 'WRITE_FILE draft.txt work in progress',
      });
      expect(await first.exited).toEqual({ code: RUNNER_EXIT.success, signal: null });
      const requestsAfterClone = server.requests.length;

      const second = harness.spawnRunner({
        ...spec,
        initialPrompt: 'RUN_BASH git status --porcelain',
      });
      expect(await second.exited).toEqual({ code: RUNNER_EXIT.success, signal: null });
      expect(server.requests.length).toBe(requestsAfterClone); // never re-cloned or fetched
      const appPath = join(harness.workspaceDir, 'repos', 'app');
      expect(readFileSync(join(appPath, 'draft.txt'), 'utf8')).toBe('work in progress');
      const result = harness.eventsOf(EventType.TOOL_CALL_RESULT).at(-1);
      expect(String(result?.['content'])).toContain('?? draft.txt');
      expect(harness.eventsOf(EventType.CUSTOM, CUSTOM_EVENT.repos)).toHaveLength(2);
      expect(reposValue()?.repos[0]).toMatchObject({ branch: WORKING_BRANCH, status: 'Ready' });
    },
    TEST_TIMEOUT_MS,
  );
});

function gitIn(directory: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: directory, encoding: 'utf8' }).trim();
}

/** Every process's argv (what `ps` shows), searched for a secret. */
function scanCommandLines(secret: string): { matches: string[]; gitProcesses: number } {
  const matches: string[] = [];
  let gitProcesses = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let commandLine: string;
    try {
      commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue; // the process ended meanwhile
    }
    if (/\bgit(-remote-https?)?\b/.test(commandLine) && !commandLine.includes('http-backend'))
      gitProcesses += 1;
    if (commandLine.includes(secret)) matches.push(commandLine);
  }
  return { matches, gitProcesses };
}

/** Files under `directory` whose bytes contain `text` (reflogs, FETCH_HEAD, packed-refs…). */
function grepRecursive(directory: string, text: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (readFileSync(path).includes(text)) found.push(path);
  }
  return found;
}
