/**
 * The session event protocol: AG-UI events (from @ag-ui/core) plus a per-session monotonic `seq`.
 *
 * Every stored event is a plain AG-UI event with one extra field, `seq`, so any AG-UI client can
 * consume our streams unchanged, and resume exactly with `Last-Event-ID` / `after=<seq>`.
 */
import { EventSchema } from '@ag-ui/core/schemas';
import { EventType } from '@ag-ui/core';
import type { BaseEvent } from '@ag-ui/core';
import { z } from 'zod';

export { EventType };

/** Any AG-UI event, validated by the protocol's own zod schema. */
export const agUiEventSchema = EventSchema as unknown as z.ZodType<AgUiEvent>;
export type AgUiEvent = BaseEvent & { type: EventType; [key: string]: unknown };

export const seqSchema = z.number().int().positive();

/** An event as stored in the event log and sent to clients. */
export type SessionEvent = AgUiEvent & { seq: number };

export const sessionEventSchema: z.ZodType<SessionEvent> = z
  .object({ seq: seqSchema })
  .loose()
  .pipe(z.custom<SessionEvent>((value) => agUiEventSchema.safeParse(value).success, {
    message: 'not a valid AG-UI event',
  }));

/**
 * CUSTOM event names the platform emits. AG-UI's CUSTOM event carries them so standard clients can
 * ignore them safely.
 */
export const CUSTOM_EVENT = {
  /** The runner's Claude Code conversation id (value: { sdkSessionId }). */
  sdkSession: 'ambient.sdk_session',
  /** A run's final result (value: SessionResult). */
  runResult: 'ambient.run_result',
  /** The CLI retrying an API error (value: { attempt, maxRetries, retryDelayMs, errorStatus, error }). */
  apiRetry: 'ambient.api_retry',
  /** A platform notice about the session lifecycle (value: { phase, reason, message }). */
  lifecycle: 'ambient.lifecycle',
  /**
   * The workspace's repositories after cloning (value: { repos: [{ name, url, branch, status:
   * 'Ready' | 'Failed', message? }] }, URLs without credentials); folded into the summary's `repos`.
   */
  repos: 'ambient.repos',
} as const;

/** Query parameter used by WebSocket and REST readers for the resume cursor. */
export const AFTER_SEQ_PARAM = 'after';
