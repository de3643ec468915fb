/**
 * Integration harness: the REAL runner process (node + tsx, as the process runtime starts it)
 * against the in-test channel server and the project's fake Anthropic API, with real Claude Code.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CUSTOM_EVENT, EventType, RUNNER_ENV } from '@ambient/contracts';
import type { AgUiEvent, AgenticSessionSpec } from '@ambient/contracts';
import { startFakeModel } from '@ambient/fake-model';
import type { FakeModel } from '@ambient/fake-model';
import { FakeChannelServer } from '../src/test-support/channel-server.ts';

export const RUNNER_MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
/**
 * Absolute, because `--import tsx` resolves from the cwd, and the runner's cwd is the workspace,
 * which lies outside the repository.
 */
export const TSX_LOADER = import.meta.resolve('tsx');
export const RUNNER_TOKEN = 'art1.test-runner-token.signature';
export const MODEL_API_KEY = 'sk-ant-test-key-not-a-real-one';

export interface RunnerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnedRunner {
  child: ChildProcess;
  exited: Promise<RunnerExit>;
  stderr(): string;
}

export class RunnerHarness {
  readonly workspaceDir: string;
  private readonly spawned: SpawnedRunner[] = [];

  private constructor(
    readonly channel: FakeChannelServer,
    readonly model: FakeModel,
    readonly sessionName: string,
  ) {
    this.workspaceDir = mkdtempSync(join(tmpdir(), 'ambient-runner-'));
  }

  static async start(sessionName = 'session-test'): Promise<RunnerHarness> {
    const channel = await FakeChannelServer.start({ token: RUNNER_TOKEN });
    const model = await startFakeModel();
    return new RunnerHarness(channel, model, sessionName);
  }

  spawnRunner(
    spec: Partial<AgenticSessionSpec>,
    extraEnv: Record<string, string> = {},
  ): SpawnedRunner {
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      [RUNNER_ENV.serverUrl]: this.channel.url,
      [RUNNER_ENV.token]: RUNNER_TOKEN,
      [RUNNER_ENV.project]: 'test-project',
      [RUNNER_ENV.sessionName]: this.sessionName,
      [RUNNER_ENV.workspaceDir]: this.workspaceDir,
      [RUNNER_ENV.sessionSpec]: JSON.stringify(spec),
      ANTHROPIC_API_KEY: MODEL_API_KEY,
      ANTHROPIC_BASE_URL: this.model.url,
      CLAUDE_CODE_MAX_RETRIES: '0',
      ...extraEnv,
    };
    const child = spawn(process.execPath, ['--import', TSX_LOADER, RUNNER_MAIN], {
      cwd: this.workspaceDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout?.resume();
    const exited = new Promise<RunnerExit>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const runner = { child, exited, stderr: () => stderr };
    this.spawned.push(runner);
    return runner;
  }

  /** Stored events of the given type (and CUSTOM name). */
  eventsOf(type: EventType, customName?: string): AgUiEvent[] {
    return this.channel
      .eventList()
      .filter(
        (event) =>
          event.type === type && (customName === undefined || event['name'] === customName),
      );
  }

  sdkSessionId(): string | undefined {
    const value = this.eventsOf(EventType.CUSTOM, CUSTOM_EVENT.sdkSession).at(-1)?.['value'];
    return (value as { sdkSessionId?: string } | undefined)?.sdkSessionId;
  }

  async waitForEvents(
    predicate: (events: AgUiEvent[]) => boolean,
    what: string,
    timeoutMs = 20_000,
  ): Promise<void> {
    await this.channel.waitFor(() => predicate(this.channel.eventList()), timeoutMs, what);
  }

  async close(): Promise<void> {
    for (const runner of this.spawned) {
      if (runner.child.exitCode === null && runner.child.signalCode === null)
        runner.child.kill('SIGKILL');
    }
    await Promise.all(this.spawned.map((runner) => runner.exited));
    await this.channel.close();
    await this.model.close();
    rmSync(this.workspaceDir, { recursive: true, force: true });
  }
}

export function countOf(events: AgUiEvent[], type: EventType): number {
  return events.filter((event) => event.type === type).length;
}
