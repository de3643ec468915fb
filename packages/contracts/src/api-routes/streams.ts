/**
 * Routes that stream or replay events: the session SSE and WebSocket streams, history and export,
 * the project's session-change stream, and the runner channel (internal, documented for runners).
 */
import { RUNNER_CHANNEL_PATH, runnerToServerSchema, serverToRunnerSchema } from '../runner-protocol.ts';
import { projectPathSchema, sessionEventFrameSchema, sessionPathSchema } from './schemas.ts';
import { SESSION } from './sessions.ts';
import {
  exportQuerySchema,
  lastEventIdHeaderSchema,
  projectEventFrameSchema,
  projectEventsQuerySchema,
  sessionExportSchema,
  sessionHistorySchema,
  sessionStreamQuerySchema,
  sessionWebSocketQuerySchema,
} from './stream-schemas.ts';
import { defineRoute } from './types.ts';
import type { ApiRoute } from './types.ts';

const SSE = 'text/event-stream';

export const streamRoutes: readonly ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: `${SESSION}/agui/events`,
    operationId: 'streamSessionEvents',
    summary: 'The session’s AG-UI events over Server-Sent Events',
    description:
      'Each frame is `id: <seq>` and `data: <one JSON event>`. Reconnect with Last-Event-ID (EventSource does) or ?after=<seq> ' +
      'to get exactly the events after it, then live ones. The stream opens with a `retry:` hint, sends `: keepalive` ' +
      'comments when idle, and ends for a reader that falls too far behind (it resumes from its last id). A reader whose ' +
      'access is revoked gets a final `: access revoked` comment and the end of the stream (a reconnect is refused). ' +
      'Sent gzip-compressed (each write flushed) when Accept-Encoding allows it.',
    tags: ['session-events'],
    auth: 'bearer',
    minimumRole: 'view',
    params: sessionPathSchema,
    query: sessionStreamQuerySchema,
    headers: lastEventIdHeaderSchema,
    responses: { 200: { description: 'An endless event stream; the schema is one frame’s data', schema: sessionEventFrameSchema, contentType: SSE } },
  }),
  defineRoute({
    method: 'get',
    path: `${SESSION}/agui/ws`,
    operationId: 'streamSessionEventsWebSocket',
    summary: 'The session’s AG-UI events over a WebSocket',
    description:
      'An HTTP upgrade (Connection: Upgrade, Upgrade: websocket). Authenticate with the Authorization header or, from a browser, ' +
      '?token=. Each server message is one JSON event with its seq (the schema below); reconnect with ?after=<last seq> to resume ' +
      'exactly. Read-only: a client frame closes the socket (1008). Resume after close codes 4008 (too far behind), 1001 ' +
      '(server shutting down), 1011 (server error, or access could not be confirmed) and 1006 (dropped); 4403 means the ' +
      'reader’s access was revoked (do not reconnect). permessage-deflate is offered. Refusals before the upgrade are plain ' +
      'HTTP with the JSON error body.',
    tags: ['session-events'],
    auth: 'bearer',
    minimumRole: 'view',
    transport: 'websocket',
    params: sessionPathSchema,
    query: sessionWebSocketQuerySchema,
    responses: { 101: { description: 'Switching Protocols; then one JSON event per message', schema: sessionEventFrameSchema } },
  }),
  defineRoute({
    method: 'get',
    path: `${SESSION}/agui/history`,
    operationId: 'getSessionHistory',
    summary: 'Every message of the session so far, as one document',
    description: 'Finished runs compacted plus the run in progress, folded into AG-UI messages. Continue live with the event stream from after=lastSeq.',
    tags: ['session-events'],
    auth: 'bearer',
    minimumRole: 'view',
    params: sessionPathSchema,
    responses: { 200: { description: 'The conversation so far', schema: sessionHistorySchema } },
  }),
  defineRoute({
    method: 'get',
    path: `${SESSION}/export`,
    operationId: 'exportSession',
    summary: 'Download the session with every raw event, or as a markdown transcript',
    description: 'Streamed as an attachment named after the session; it stops at the log’s last seq when the request arrived.',
    tags: ['session-events'],
    auth: 'bearer',
    minimumRole: 'view',
    params: sessionPathSchema,
    query: exportQuerySchema,
    responses: {
      200: {
        description: 'The export',
        schema: sessionExportSchema,
        alternatives: [{ contentType: 'text/markdown' }],
      },
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/projects/{project}/events',
    operationId: 'streamProjectEvents',
    summary: 'The project’s session changes over Server-Sent Events, for list views',
    description:
      'Starts with a `reset` frame (the whole list) unless resuming, then one `session` frame per change. Each frame’s `id:` is ' +
      'the store resourceVersion: reconnect with Last-Event-ID or ?resourceVersion= to resume the watch exactly; when that ' +
      'version is too old the stream starts with a reset again. Revoked access ends the stream as on the session stream; ' +
      'gzip when Accept-Encoding allows it.',
    tags: ['session-events'],
    auth: 'bearer',
    minimumRole: 'view',
    params: projectPathSchema,
    query: projectEventsQuerySchema,
    headers: lastEventIdHeaderSchema,
    responses: { 200: { description: 'An endless stream; the schema is one frame’s data', schema: projectEventFrameSchema, contentType: SSE } },
  }),
  defineRoute({
    method: 'get',
    path: RUNNER_CHANNEL_PATH,
    operationId: 'connectRunnerChannel',
    summary: 'The runner’s channel (internal): events up, commands down',
    description:
      'A WebSocket for session runners only, authenticated with the runner token the platform gives each run (not a user token). ' +
      'Runner → server frames follow RunnerToServer, server → runner frames ServerToRunner (the schema below); see ADR 0003.',
    tags: ['runner'],
    auth: 'bearer',
    transport: 'websocket',
    clientMessages: runnerToServerSchema,
    responses: { 101: { description: 'Switching Protocols; then ServerToRunner frames', schema: serverToRunnerSchema } },
    omitErrors: [429],
  }),
];
