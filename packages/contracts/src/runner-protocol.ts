/**
 * The runner <-> API server channel: one outbound WebSocket from the runner.
 *
 * Up: the runner numbers its events with `producerSeq` (gapless, starting at 1 per session) and
 * keeps them until acknowledged; the server persists, then acks the highest producerSeq it holds.
 * Down: commands (user messages, interrupt, stop) carry a per-session `cursor`; the runner acks a
 * cursor once it has applied the command, so none is lost or applied twice across reconnects.
 */
import { z } from 'zod';
import { workspaceRequestFrameSchema, workspaceResponseFrameSchema } from './workspace-protocol.ts';

export const RUNNER_CHANNEL_PATH = '/api/runner/v1/channel';

export const runnerEventEnvelopeSchema = z.object({
  producerSeq: z.number().int().positive(),
  event: z.record(z.string(), z.unknown()),
});
export type RunnerEventEnvelope = z.infer<typeof runnerEventEnvelopeSchema>;

export const runnerCommandSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('user_message'),
    messageId: z.string(),
    text: z.string(),
  }),
  z.object({ kind: z.literal('interrupt') }),
  z.object({ kind: z.literal('stop'), reason: z.string().optional() }),
]);
export type RunnerCommand = z.infer<typeof runnerCommandSchema>;

export const runnerToServerSchema = z.discriminatedUnion('type', [
  /** First frame after connecting. */
  z.object({ type: z.literal('hello'), runnerId: z.string() }),
  z.object({ type: z.literal('events'), events: z.array(runnerEventEnvelopeSchema).min(1) }),
  z.object({ type: z.literal('command_ack'), cursor: z.number().int().positive() }),
  /** The answer to a `workspace_request` (workspace-protocol.ts). */
  workspaceResponseFrameSchema,
]);
export type RunnerToServer = z.infer<typeof runnerToServerSchema>;

export const serverToRunnerSchema = z.discriminatedUnion('type', [
  /** Reply to hello: what the server already holds, so the runner can resend exactly the rest. */
  z.object({
    type: z.literal('welcome'),
    lastProducerSeq: z.number().int().min(0),
    lastCommandCursor: z.number().int().min(0),
  }),
  z.object({ type: z.literal('ack'), producerSeq: z.number().int().min(0) }),
  z.object({
    type: z.literal('command'),
    cursor: z.number().int().positive(),
    command: runnerCommandSchema,
  }),
  z.object({ type: z.literal('error'), message: z.string() }),
  /** Read, write or delete a workspace file; answered with `workspace_response` of the same id. */
  workspaceRequestFrameSchema,
]);
export type ServerToRunner = z.infer<typeof serverToRunnerSchema>;

/**
 * Environment contract between the workload runtime and the runner process (both modes).
 * Names are the runner's configuration; values come from the controller.
 */
export const RUNNER_ENV = {
  serverUrl: 'AMBIENT_SERVER_URL',
  token: 'AMBIENT_RUNNER_TOKEN',
  project: 'AMBIENT_PROJECT',
  sessionName: 'AMBIENT_SESSION_NAME',
  workspaceDir: 'AMBIENT_WORKSPACE_DIR',
  sessionSpec: 'AMBIENT_SESSION_SPEC',
  resumeSdkSessionId: 'AMBIENT_RESUME_SDK_SESSION_ID',
  /** A continuation session: fork the parent's conversation (the initial prompt still runs). */
  forkFromSdkSessionId: 'AMBIENT_FORK_FROM_SDK_SESSION_ID',
  /** RUNNER_MODE (workspace-protocol.ts); unset means a session run. */
  mode: 'AMBIENT_RUNNER_MODE',
  /** Workspace viewer: exit after this many seconds without a request. */
  viewerIdleSeconds: 'AMBIENT_WORKSPACE_VIEWER_IDLE_SECONDS',
  /** Workspace viewer: exit after this many seconds in any case (its credential expires soon after). */
  viewerLifetimeSeconds: 'AMBIENT_WORKSPACE_VIEWER_LIFETIME_SECONDS',
} as const;

/** Runner exit codes the controller turns into phases and condition reasons. */
export const RUNNER_EXIT = {
  success: 0,
  crash: 1,
  prerequisiteFailed: 2,
  stopped: 3,
} as const;
