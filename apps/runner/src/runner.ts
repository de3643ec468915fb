/**
 * One runner process: configuration → prerequisites → channel + outbox → session driver → exit code.
 * Kept apart from main.ts so tests can run a whole runner in-process with their own signals.
 */
import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EventType, RUNNER_CHANNEL_PATH, RUNNER_EXIT } from '@ambient/contracts';
import type { AgUiEvent, RunnerCommand } from '@ambient/contracts';
import { ActiveRunMarker } from './active-run.ts';
import { RunnerChannel } from './channel.ts';
import { buildQueryOptions, workspaceLayout } from './claude-options.ts';
import { CommandCursorStore } from './command-cursor.ts';
import { channelUrl, ConfigError, loadConfig } from './config.ts';
import type { RunnerConfig } from './config.ts';
import { gitSecrets } from './git-credentials.ts';
import { createLogger, withRedaction } from './log.ts';
import type { Logger } from './log.ts';
import { Outbox } from './outbox.ts';
import { checkPrerequisites } from './prerequisites.ts';
import { describeError, redactEvent } from './redact.ts';
import { SessionDriver } from './session-driver.ts';
import type { DriverOutcome, QueryFunction } from './session-driver.ts';
import { workspaceRequestHandler } from './workspace-requests.ts';
import { setUpWorkspace } from './workspace-setup.ts';

export interface RunRunnerOptions {
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Where SIGTERM / SIGINT come from (the process in production, an EventEmitter in tests). */
  signals?: Pick<EventEmitter, 'on' | 'off'>;
  log?: Logger;
  query?: QueryFunction;
  /** How long to wait for the server to acknowledge the last events before exiting (default 5 s). */
  drainTimeoutMs?: number;
  /** Ends the process when the server turns the runner away for good (tests inject a spy). */
  exit?: (code: number) => void;
}

const DEFAULT_DRAIN_TIMEOUT_MS = 5_000;
const WRITE_WARNING_INTERVAL_MS = 10_000;
const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export async function runRunner(options: RunRunnerOptions): Promise<number> {
  let config: RunnerConfig;
  try {
    config = loadConfig(options.env, options.cwd);
  } catch (error) {
    // Without a valid configuration there is no channel to report on: stderr is all we have.
    const message = error instanceof ConfigError ? error.message : describeError(error);
    (options.log ?? createLogger({})).error(`invalid configuration: ${message}`);
    return RUNNER_EXIT.prerequisiteFailed;
  }
  // Git tokens and credentials written into repo URLs are known only now: a given logger (main.ts
  // makes one before the configuration is read) is wrapped so it redacts them too.
  const secrets = [
    config.token,
    config.model.apiKey,
    ...gitSecrets(config.spec.repos ?? [], config.git),
  ];
  const log = withRedaction(options.log ?? createLogger({ secrets }), secrets);
  const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  const layout = workspaceLayout(config);
  const prerequisites = checkPrerequisites(config);
  const writable = prerequisites.workspaceWritable;
  let lastWriteWarningAt = 0;
  const outbox = new Outbox({
    filePath: writable ? join(layout.stateDir, 'outbox.jsonl') : undefined,
    onWriteError: (error) => {
      if (Date.now() - lastWriteWarningAt < WRITE_WARNING_INTERVAL_MS) return; // a full disk fails every flush
      lastWriteWarningAt = Date.now();
      log.warn(`cannot write the outbox (events are kept in memory): ${describeError(error)}`);
    },
  });
  const cursors = new CommandCursorStore(
    writable ? join(layout.stateDir, 'command-cursor.json') : undefined,
  );
  const runMarker = new ActiveRunMarker(
    writable ? join(layout.stateDir, 'active-run.json') : undefined,
  );
  const emit = (unsafeEvent: AgUiEvent) => {
    // The agent can print what it sees (e.g. `env` in Bash): no secret may reach the outbox.
    const event = redactEvent(unsafeEvent, secrets);
    outbox.append(event);
    try {
      runMarker.observe(event);
    } catch (error) {
      log.warn(`cannot record the active run: ${describeError(error)}`);
    }
  };

  const driver = new SessionDriver({
    threadId: config.sessionName,
    interactive: config.spec.interactive,
    initialPrompt: config.spec.initialPrompt,
    resumeSdkSessionId: config.resumeSdkSessionId,
    queryOptions: (resume, stderr, forkSession) => buildQueryOptions(config, layout, { resume, stderr, forkSession }),
    forkFromSdkSessionId: config.forkFromSdkSessionId,
    emit,
    log,
    query: options.query,
    pendingTurnsPath: join(config.workspaceDir, '.ambient', 'pending-turns.json'),
  });
  const channel = new RunnerChannel({
    url: channelUrl(config.serverUrl, RUNNER_CHANNEL_PATH),
    token: config.token,
    runnerId: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    outbox,
    cursors,
    log,
    applyCommand: (command) => applyCommand(driver, command, log),
    // Another runner owns the session now (or it is gone): leave at once, without a final flush,
    // so two runners never work in one workspace.
    onRejected: () => (options.exit ?? process.exit)(RUNNER_EXIT.stopped),
    // The API server cannot mount the workspace in cluster mode: the file browser asks us.
    onWorkspaceRequest: workspaceRequestHandler(config.workspaceDir),
  });
  const shutdown = async (): Promise<void> => {
    outbox.flush();
    if (!(await channel.waitForDrain(drainTimeoutMs))) {
      log.warn(`${outbox.pendingCount} event(s) not acknowledged yet; they stay in the outbox`);
    }
    await channel.close();
    outbox.close();
  };

  log.info(
    `runner for session ${config.project}/${config.sessionName} starting` +
      (config.resumeSdkSessionId ? ` (resuming ${config.resumeSdkSessionId})` : ''),
  );
  channel.start();

  const orphan = runMarker.takeOrphan();
  if (orphan) {
    // The previous runner was killed during this run; its turn is lost, the conversation is not.
    emit({
      type: EventType.RUN_ERROR,
      timestamp: Date.now(),
      ...orphan,
      message:
        'the runner ended during this run (it was killed or crashed); the turn did not finish',
      code: 'RunnerRestarted',
    });
  }

  const problems =
    prerequisites.problems.length > 0
      ? prerequisites.problems
      : await setUpWorkspace({
          config,
          layout,
          path: options.env['PATH'],
          secrets,
          emit,
          log,
        });
  if (problems.length > 0) {
    const message = problems.join('; ');
    log.error(`prerequisite failed: ${message}`);
    reportPrerequisiteFailure(emit, config.sessionName, message);
    await shutdown();
    return RUNNER_EXIT.prerequisiteFailed;
  }

  const onSignal = (signal: string) => driver.stop(signal);
  for (const signal of STOP_SIGNALS) options.signals?.on(signal, onSignal);
  try {
    const outcome = await driver.run();
    if (outcome.kind === 'crashed') log.error(`giving up: ${outcome.message}`);
    await shutdown();
    return exitCode(outcome);
  } finally {
    for (const signal of STOP_SIGNALS) options.signals?.off(signal, onSignal);
  }
}

async function applyCommand(
  driver: SessionDriver,
  command: RunnerCommand,
  log: Logger,
): Promise<void> {
  switch (command.kind) {
    case 'user_message':
      driver.enqueue({ messageId: command.messageId, text: command.text });
      return;
    case 'interrupt':
      // Not awaited: the ack must not wait for the CLI, and later commands (stop) must not either.
      void driver.interrupt();
      return;
    case 'stop':
      log.info(`stop requested${command.reason ? `: ${command.reason}` : ''}`);
      driver.stop(command.reason ?? 'stop command');
      return;
  }
}

/** A run that failed before it started, so UIs and the summary show why the session ended. */
function reportPrerequisiteFailure(
  emit: (event: AgUiEvent) => void,
  threadId: string,
  message: string,
): void {
  const runId = randomUUID();
  const timestamp = Date.now();
  emit({ type: EventType.RUN_STARTED, timestamp, threadId, runId });
  emit({
    type: EventType.RUN_ERROR,
    timestamp,
    threadId,
    runId,
    message,
    code: 'PrerequisiteFailed',
  });
}

export function exitCode(outcome: DriverOutcome): number {
  switch (outcome.kind) {
    case 'stopped':
      return RUNNER_EXIT.stopped;
    case 'crashed':
      return RUNNER_EXIT.crash;
    case 'finished':
      if (outcome.interrupted) return RUNNER_EXIT.stopped;
      return outcome.failed ? RUNNER_EXIT.crash : RUNNER_EXIT.success;
  }
}
