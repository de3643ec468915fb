/**
 * Bodies and frames of the stream and history routes (session SSE and WebSocket, project SSE,
 * history, export). They mirror api-server's session-history.ts and project-events.ts.
 */
import { MessageSchema } from '@ag-ui/core/schemas';
import type { Message } from '@ag-ui/core';
import { z } from 'zod';
import { agenticSessionSchema, sessionPhaseSchema, stoppedReasonSchema } from '../agentic-session.ts';
import { sessionEventFrameSchema } from './schemas.ts';

/** An AG-UI message, validated by the protocol's own schema (as events.ts does for events). */
export const agUiMessageSchema = MessageSchema as unknown as z.ZodType<Message>;

const digits = /^\d+$/;

/** The resume cursor of session streams: the seq of the last event the reader has. */
export const afterSeqQuerySchema = z
  .string()
  .regex(digits, 'a non-negative integer')
  .optional()
  .describe('Resume right after this seq (the seq of the last event received); on SSE the Last-Event-ID header wins when both are set');

export const compactQuerySchema = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .describe('false streams every raw event; by default finished runs before the cursor arrive as one MESSAGES_SNAPSHOT');

export const lastEventIdHeaderSchema = z.object({
  'Last-Event-ID': z.string().regex(digits).optional().describe('Set by EventSource on reconnect: resume right after it'),
});

export const sessionStreamQuerySchema = z.object({ after: afterSeqQuerySchema, compact: compactQuerySchema });

export const sessionWebSocketQuerySchema = sessionStreamQuerySchema.extend({
  token: z.string().optional().describe('The bearer token, for browsers (they cannot set headers on a WebSocket)'),
});

/** GET …/agui/history: every message so far, folded; continue with a stream from `after=lastSeq`. */
export const sessionHistorySchema = z.object({
  messages: z.array(agUiMessageSchema),
  lastSeq: z.number().int().min(0).describe('The seq the history covers up to: stream with after=lastSeq to go on'),
  state: z.unknown().optional().describe('The agent state (STATE_SNAPSHOT/STATE_DELTA folded), when there is one'),
});

export const exportQuerySchema = z.object({
  format: z.enum(['json', 'markdown', 'md']).optional().describe('json (default) or a markdown transcript'),
});

/** GET …/export?format=json: the resource and every raw event up to the log's end at request time. */
export const sessionExportSchema = z.object({
  session: agenticSessionSchema,
  exportedAt: z.string(),
  events: z.array(sessionEventFrameSchema),
});

/** What a list view shows of a session (project event stream). */
export const sessionListEntrySchema = z.object({
  name: z.string(),
  uid: z.string(),
  displayName: z.string().optional(),
  phase: sessionPhaseSchema,
  createdAt: z.string().optional(),
  interactive: z.boolean(),
  createdBy: z.string().optional(),
  runCount: z.number().int().optional(),
  startTime: z.string().optional(),
  completionTime: z.string().optional(),
  lastActivityTime: z.string().optional(),
  stoppedReason: stoppedReasonSchema.optional(),
  message: z.string().optional(),
  result: z
    .object({
      subtype: z.string(),
      isError: z.boolean(),
      totalCostUsd: z.number().optional(),
      numTurns: z.number().int().optional(),
      durationMs: z.number().int().optional(),
    })
    .optional(),
});

/** One frame's `data` on GET /api/projects/{project}/events; its `id:` is the store resourceVersion. */
export const projectEventFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('reset'),
    resourceVersion: z.string(),
    sessions: z.array(sessionListEntrySchema).describe('The whole list: replace yours'),
  }),
  z.object({
    type: z.literal('session'),
    action: z.enum(['ADDED', 'MODIFIED', 'DELETED']),
    session: sessionListEntrySchema,
  }),
]);

export const projectEventsQuerySchema = z.object({
  resourceVersion: z
    .string()
    .regex(digits)
    .optional()
    .describe('Resume the watch right after this version (the `id:` of the last frame); Last-Event-ID wins'),
});
