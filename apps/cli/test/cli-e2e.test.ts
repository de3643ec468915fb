/**
 * The real `ambient` command (bin/ambient.js in a child process) against the real platform process,
 * with SQLite, real runners running the real Claude Code, and the project's fake model API.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeModel } from '@ambient/fake-model';
import type { FakeModel } from '@ambient/fake-model';
import { startPlatformProcess } from '@ambient/testing/platform-process';
import type { PlatformProcess } from '@ambient/testing/platform-process';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(REPO_ROOT, 'apps/cli/bin/ambient.js');
const PROJECT = 'team-cli';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface StreamedEvent {
  seq: number;
  type: string;
  [key: string]: unknown;
}

describe('ambient CLI end to end', () => {
  let dataDir: string;
  let configDir: string;
  let model: FakeModel;
  let platform: PlatformProcess;
  let completedSession: string;

  function ambient(args: string[], timeoutMs = 45_000): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: configDir,
          AMBIENT_CONFIG_DIR: configDir,
          NO_COLOR: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(`ambient ${args.join(' ')} timed out\nstdout:\n${stdout}\nstderr:\n${stderr}`),
        );
      }, timeoutMs);
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** Runs the command and insists on its exit code, showing all output when it differs. */
  async function expectExit(args: string[], code: number): Promise<CliResult> {
    const result = await ambient(args);
    if (result.code !== code) {
      throw new Error(
        `ambient ${args.join(' ')} exited ${result.code}, not ${code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
      );
    }
    expect(result.stdout + result.stderr).not.toContain(platform.token);
    return result;
  }

  function jsonLines(stdout: string): StreamedEvent[] {
    return stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as StreamedEvent);
  }

  async function phaseOf(name: string): Promise<string | undefined> {
    const { stdout } = await expectExit(['sessions', 'get', PROJECT, name, '--json'], 0);
    return (JSON.parse(stdout) as { status?: { phase?: string } }).status?.phase;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ambient-cli-e2e-data-'));
    configDir = mkdtempSync(join(tmpdir(), 'ambient-cli-e2e-config-'));
    model = await startFakeModel();
    platform = await startPlatformProcess({
      AMBIENT_DATA_DIR: dataDir,
      ANTHROPIC_API_KEY: 'test-key-not-real',
      ANTHROPIC_BASE_URL: model.url,
      AMBIENT_DEMO_MODEL: 'off',
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await model?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(configDir, { recursive: true, force: true });
  });

  it('logs in, creates a project, and runs a non-interactive session to Completed with --watch', async () => {
    const rejected = await expectExit(
      ['login', '--url', platform.url, '--token', 'wrong-token-0123456789'],
      1,
    );
    expect(rejected.stderr).toMatch(/^error: invalid or expired bearer token/m);
    expect((await expectExit(['sessions', 'list'], 2)).stderr).toContain(
      "error: missing required argument 'project'",
    );

    const login = await expectExit(
      ['login', '--url', `${platform.url}/api`, '--token', platform.token],
      0,
    );
    expect(login.stdout).toContain(`logged in to ${platform.url}`);
    expect(readFileSync(join(configDir, 'config.json'), 'utf8')).toContain(platform.url);

    await expectExit(['projects', 'create', PROJECT, '--display-name', 'CLI team'], 0);
    const projects = await expectExit(['projects', 'list'], 0);
    expect(projects.stdout).toMatch(/^NAME\s+CREATED\s+DISPLAY NAME$/m);
    expect(projects.stdout).toMatch(new RegExp(`^${PROJECT}\\s+\\S+ ago\\s+CLI team$`, 'm'));
    expect((await expectExit(['projects', 'create', PROJECT], 1)).stderr).toBe(
      `error: project "${PROJECT}" already exists\n`,
    );

    const run = await expectExit(
      [
        'sessions',
        'create',
        PROJECT,
        '--no-interactive',
        '--prompt',
        'WRITE_FILE hello.txt hi',
        '--watch',
      ],
      0,
    );
    completedSession = /created session (session-[a-z0-9]+)/.exec(run.stderr)?.[1] ?? '';
    expect(completedSession).not.toBe('');
    expect(run.stdout).toContain('> WRITE_FILE hello.txt hi');
    expect(run.stdout).toMatch(/^→ Write hello\.txt\n {2}✓$/m);
    expect(run.stdout).toMatch(/^✔ run finished · \d+ turns? · \$\d+\.\d{4} · [\d.]+ s$/m);
    expect(
      readFileSync(
        join(dataDir, 'workspaces', PROJECT, completedSession, 'artifacts', 'hello.txt'),
        'utf8',
      ),
    ).toContain('hi');

    // The run's end is in the stream just before the controller records the phase.
    for (
      let attempt = 0;
      attempt < 50 && (await phaseOf(completedSession)) !== 'Completed';
      attempt += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const list = await expectExit(['sessions', 'list', PROJECT], 0);
    expect(list.stdout).toMatch(/^NAME\s+PHASE\s+CREATED\s+DISPLAY NAME$/m);
    expect(list.stdout).toMatch(new RegExp(`^${completedSession}\\s+Completed\\s+\\S+ ago$`, 'm'));
    const details = await expectExit(['sessions', 'get', PROJECT, completedSession], 0);
    expect(details.stdout).toMatch(/^Phase:\s+Completed$/m);
  }, 60_000);

  it('resumes a watch with --after: exactly the events after that seq, once each', async () => {
    const all = jsonLines(
      (await expectExit(['sessions', 'watch', PROJECT, completedSession, '--json'], 0)).stdout,
    );
    expect(all.map((event) => event.seq)).toEqual(all.map((_event, index) => index + 1));
    expect(all.at(-1)?.type).toBe('RUN_FINISHED');
    expect(
      all.filter((event) => event.type === 'TOOL_CALL_START').map((event) => event.toolCallName),
    ).toEqual(['Write']);

    const after = Math.floor(all.length / 2);
    const resumed = await expectExit(
      ['sessions', 'watch', PROJECT, completedSession, '--after', String(after), '--json'],
      0,
    );
    expect(jsonLines(resumed.stdout)).toEqual(all.slice(after));
  }, 60_000);

  it('runs an interactive session: first run, a follow-up with send --watch, then stop', async () => {
    const first = await expectExit(
      ['sessions', 'create', PROJECT, '--prompt', 'Say hello', '--display-name', 'chat', '--watch'],
      0,
    );
    const name = /created session (session-[a-z0-9]+)/.exec(first.stderr)?.[1] ?? '';
    expect(first.stdout).toContain('Fake model reply to: Say hello');

    const followUp = await expectExit(
      ['sessions', 'send', PROJECT, name, 'RUN_BASH', 'echo second > second.txt', '--watch'],
      0,
    );
    expect(followUp.stdout).toMatch(/^> RUN_BASH echo second > second\.txt$/m);
    expect(followUp.stdout).toMatch(/^→ Bash echo second > second\.txt\n {2}✓$/m);
    // Only the run of this message, not the session's history.
    expect(followUp.stdout).not.toContain('Say hello');
    expect(
      readFileSync(
        join(dataDir, 'workspaces', PROJECT, name, 'artifacts', 'second.txt'),
        'utf8',
      ).trim(),
    ).toBe('second');

    const list = await expectExit(['sessions', 'list', PROJECT], 0);
    expect(list.stdout).toMatch(new RegExp(`^${name}\\s+Running\\s+\\S+ ago\\s+chat$`, 'm'));

    const stopped = await expectExit(['sessions', 'stop', PROJECT, name, '--wait'], 0);
    expect(stopped.stdout).toContain(`session ${name} Stopped (user)`);
    const refused = await expectExit(['sessions', 'send', PROJECT, name, 'more'], 1);
    expect(refused.stderr).toMatch(/^error: session "session-[a-z0-9]+" is Stopped/);

    // A watch of an interactive session runs until the session is over; resumed, it prints the rest.
    const all = jsonLines(
      (await expectExit(['sessions', 'watch', PROJECT, name, '--json'], 0)).stdout,
    );
    expect(all.filter((event) => event.type === 'RUN_FINISHED')).toHaveLength(2);
    const lastRunStart = all.findLastIndex((event) => event.type === 'RUN_STARTED');
    const resumed = await expectExit(
      ['sessions', 'watch', PROJECT, name, '--json', '--after', String(all[lastRunStart - 1]?.seq)],
      0,
    );
    expect(jsonLines(resumed.stdout)).toEqual(all.slice(lastRunStart));
    expect(resumed.stderr).toContain(`session ${name} Stopped (user)`);

    await expectExit(['sessions', 'delete', PROJECT, name], 0);
    expect(existsSync(join(dataDir, 'workspaces', PROJECT, name))).toBe(false);
  }, 60_000);
});
