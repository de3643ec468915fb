/**
 * The runner in serve-workspace mode (AMBIENT_RUNNER_MODE=serve-workspace): the on-demand
 * "workspace viewer" of cluster mode (docs/adr/0010). When a session has no runner, the operator
 * starts this with the session's workspace volume mounted and a credential that lets it serve
 * workspace files for that one session and nothing else. It runs no agent, writes no runner state
 * (it must not disturb a later run's outbox or cursors) and ends:
 * - after `idle` without a request (default 5 minutes), or its lifetime (default 1 hour) between
 *   requests, with exit code 0;
 * - when the server turns it away for good (a run of the session took over, or it is deleted);
 * - on SIGTERM / SIGINT (the operator deletes it when a run starts).
 */
import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { RUNNER_CHANNEL_PATH, RUNNER_ENV, RUNNER_EXIT } from '@ambient/contracts';
import { RunnerChannel } from './channel.ts';
import { CommandCursorStore } from './command-cursor.ts';
import { channelUrl, ConfigError } from './config.ts';
import { createLogger, withRedaction } from './log.ts';
import type { Logger } from './log.ts';
import { Outbox } from './outbox.ts';
import { describeError } from './redact.ts';
import { workspaceRequestHandler } from './workspace-requests.ts';

export const DEFAULT_VIEWER_IDLE_SECONDS = 300;
export const DEFAULT_VIEWER_LIFETIME_SECONDS = 3600;
const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export interface WorkspaceViewerConfig {
  serverUrl: string;
  token: string;
  /** For log lines only. */
  session: string;
  workspaceDir: string;
  idleMs: number;
  lifetimeMs: number;
}

export type ViewerExitReason = 'idle' | 'lifetime' | 'rejected' | 'signal';

export interface RunWorkspaceViewerOptions {
  env: Record<string, string | undefined>;
  cwd?: string;
  signals?: Pick<EventEmitter, 'on' | 'off'>;
  log?: Logger;
  /** Told why the viewer ended (tests). */
  onExit?: (reason: ViewerExitReason) => void;
}

function positiveSeconds(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a positive number of seconds`);
  return value;
}

export function loadViewerConfig(env: Record<string, string | undefined>, cwd: string = process.cwd()): WorkspaceViewerConfig {
  const serverUrl = env[RUNNER_ENV.serverUrl]?.trim();
  if (!serverUrl) throw new ConfigError(`${RUNNER_ENV.serverUrl} is not set`);
  if (!/^(https?|wss?):\/\//.test(serverUrl)) throw new ConfigError(`${RUNNER_ENV.serverUrl} must be an http(s):// or ws(s):// URL`);
  const token = env[RUNNER_ENV.token]?.trim();
  if (!token) throw new ConfigError(`${RUNNER_ENV.token} is not set`);
  return {
    serverUrl,
    token,
    session: `${env[RUNNER_ENV.project] ?? '?'}/${env[RUNNER_ENV.sessionName] ?? '?'}`,
    workspaceDir: resolve(cwd, env[RUNNER_ENV.workspaceDir]?.trim() || '.'),
    idleMs: positiveSeconds(env, RUNNER_ENV.viewerIdleSeconds, DEFAULT_VIEWER_IDLE_SECONDS) * 1000,
    lifetimeMs: positiveSeconds(env, RUNNER_ENV.viewerLifetimeSeconds, DEFAULT_VIEWER_LIFETIME_SECONDS) * 1000,
  };
}

/** Serves the workspace until one of the reasons above; resolves with the exit code. */
export async function runWorkspaceViewer(options: RunWorkspaceViewerOptions): Promise<number> {
  let config: WorkspaceViewerConfig;
  try {
    config = loadViewerConfig(options.env, options.cwd);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : describeError(error);
    (options.log ?? createLogger({})).error(`invalid workspace viewer configuration: ${message}`);
    return RUNNER_EXIT.prerequisiteFailed;
  }
  const log = withRedaction(options.log ?? createLogger({ secrets: [config.token] }), [config.token]);
  const startedAt = Date.now();
  let lastActivityAt = startedAt;
  let requestsInFlight = 0;
  let finish: (reason: ViewerExitReason) => void = () => undefined;
  const finished = new Promise<ViewerExitReason>((resolveFinished) => {
    finish = resolveFinished;
  });

  const serve = workspaceRequestHandler(config.workspaceDir);
  const channel = new RunnerChannel({
    url: channelUrl(config.serverUrl, RUNNER_CHANNEL_PATH),
    token: config.token,
    runnerId: `workspace-viewer-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    // Nothing to report and nothing to remember: both stay in memory, off the workspace.
    outbox: new Outbox(),
    cursors: new CommandCursorStore(undefined),
    log,
    applyCommand: (command) => log.warn(`ignored a ${command.kind} command: a workspace viewer runs no agent`),
    onRejected: () => finish('rejected'),
    onWorkspaceRequest: async (request) => {
      requestsInFlight += 1;
      try {
        return await serve(request);
      } finally {
        requestsInFlight -= 1;
        lastActivityAt = Date.now();
      }
    },
  });

  // Checked often enough that the idle time is kept to within a few seconds.
  const checkIntervalMs = Math.max(50, Math.min(5_000, config.idleMs / 4, config.lifetimeMs / 4));
  const timer = setInterval(() => {
    if (requestsInFlight > 0) return;
    const now = Date.now();
    if (now - lastActivityAt >= config.idleMs) finish('idle');
    else if (now - startedAt >= config.lifetimeMs) finish('lifetime');
  }, checkIntervalMs);
  const onSignal = (): void => finish('signal');
  for (const signal of STOP_SIGNALS) options.signals?.on(signal, onSignal);

  log.info(`workspace viewer for session ${config.session} starting (idle exit after ${config.idleMs / 1000} s)`);
  channel.start();
  const reason = await finished;
  clearInterval(timer);
  for (const signal of STOP_SIGNALS) options.signals?.off(signal, onSignal);
  await channel.close();
  log.info(`workspace viewer for session ${config.session} exiting (${reason})`);
  options.onExit?.(reason);
  return RUNNER_EXIT.success;
}
