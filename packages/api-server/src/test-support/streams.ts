/**
 * Tests and benchmarks of the client streams: the application with the stream routes mounted where
 * the platform mounts them, a real HTTP server (with the WebSocket streams attached), and readers
 * that collect SSE frames and WebSocket messages up to a seq.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import WebSocket from 'ws';
import type { SessionEvent } from '@ambient/contracts';
import { createApp } from '../app.ts';
import type { AppEnv } from '../auth/middleware.ts';
import { authenticate } from '../auth/middleware.ts';
import { attachClientStreams } from '../client-streams.ts';
import type { ClientStreamOptions } from '../client-streams.ts';
import type { ApiDeps } from '../deps.ts';
import { createErrorHandler } from '../errors.ts';
import { projectEventRoutes } from '../routes/project-events.ts';
import { sessionEventsHandler } from '../routes/session-events.ts';
import { sessionHistoryRoutes } from '../routes/session-history.ts';
import type { StreamLimits } from '../session-stream.ts';

/** createApp plus the stream routes (with optional small limits), mounted as the lead mounts them. */
export function createStreamTestApp(deps: ApiDeps, limits?: Partial<StreamLimits>): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(createErrorHandler(deps.logger));
  const api = new Hono<AppEnv>();
  api.use('/projects/:project/events', authenticate(deps.authenticator));
  api.use('/projects/:project/agentic-sessions/:session/*', authenticate(deps.authenticator));
  api.get('/projects/:project/agentic-sessions/:session/agui/events', sessionEventsHandler(deps, limits));
  api.route('/projects/:project/agentic-sessions', sessionHistoryRoutes(deps));
  api.route('/projects/:project', projectEventRoutes(deps, limits));
  app.route('/api', api);
  app.route('/', createApp(deps));
  return app;
}

export interface TestServer {
  url: string;
  wsUrl: string;
  server: Server;
  close(): Promise<void>;
}

export async function startTestServer(
  deps: ApiDeps,
  options: { limits?: Partial<StreamLimits>; clientStreams?: ClientStreamOptions } = {},
): Promise<TestServer> {
  const app = createStreamTestApp(deps, options.limits);
  const server = await new Promise<Server>((resolve) => {
    const created = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(created as Server)) as Server;
  });
  const streams = attachClientStreams(server, deps, { ...options.clientStreams, limits: options.limits });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    server,
    async close() {
      streams.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface SseFrame {
  id?: string;
  data: string;
}

/** Parses complete SSE blocks out of `buffer`; returns the frames with data and the unparsed rest. */
export function parseSseFrames(buffer: string): { frames: SseFrame[]; rest: string; fields: string[] } {
  const frames: SseFrame[] = [];
  const fields: string[] = [];
  let rest = buffer;
  for (let boundary = rest.indexOf('\n\n'); boundary >= 0; boundary = rest.indexOf('\n\n')) {
    const block = rest.slice(0, boundary);
    rest = rest.slice(boundary + 2);
    const frame: SseFrame = { data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      fields.push(field);
      if (field === 'id') frame.id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) continue;
    frame.data = data.join('\n');
    frames.push(frame);
  }
  return { frames, rest, fields };
}

export interface StreamRead {
  events: SessionEvent[];
  frames: SseFrame[];
  /** Milliseconds to the first body byte (the retry hint), the first event, and the end of the read. */
  firstByteMs: number;
  firstEventMs: number;
  totalMs: number;
  bytes: number;
  /** Why the read ended: the target seq arrived, or the server ended the stream. */
  ended: 'reached' | 'server_closed';
}

/** A read of a stream that is expected to stay silent ends after this much silence. */
export const QUIET_MS = 150;

/**
 * Reads an SSE stream until an event with seq >= untilSeq arrives, the server ends it, or (when
 * nothing more is expected: untilSeq <= afterSeq) the stream stays quiet for QUIET_MS.
 */
export async function readSseUntil(
  url: string,
  headers: Record<string, string>,
  untilSeq: number,
  options: { quietMs?: number } = {},
): Promise<StreamRead> {
  const started = performance.now();
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  if (!response.ok || !response.body) throw new Error(`SSE ${url} answered ${response.status}: ${await response.text()}`);
  const read: StreamRead = { events: [], frames: [], firstByteMs: -1, firstEventMs: -1, totalMs: 0, bytes: 0, ended: 'server_closed' };
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body.getReader();
  let quietTimer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (;;) {
      if (options.quietMs !== undefined) quietTimer = setTimeout(() => abort.abort(), options.quietMs);
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      clearTimeout(quietTimer);
      if (chunk.done) break;
      if (read.firstByteMs < 0) read.firstByteMs = performance.now() - started;
      read.bytes += chunk.value.byteLength;
      const parsed = parseSseFrames(buffer + decoder.decode(chunk.value, { stream: true }));
      buffer = parsed.rest;
      if (read.firstEventMs < 0 && parsed.frames.length > 0) read.firstEventMs = performance.now() - started;
      for (const frame of parsed.frames) {
        read.frames.push(frame);
        read.events.push(JSON.parse(frame.data) as SessionEvent);
      }
      if ((read.events.at(-1)?.seq ?? -1) >= untilSeq) {
        read.ended = 'reached';
        break;
      }
    }
  } finally {
    read.totalMs = performance.now() - started;
    abort.abort();
  }
  return read;
}

export interface WsRead {
  events: SessionEvent[];
  closeCode?: number;
  firstMessageMs: number;
  totalMs: number;
  bytes: number;
}

/** Reads WebSocket messages until seq >= untilSeq arrives, the server closes, or quietMs of silence. */
export function readWsUntil(
  url: string,
  headers: Record<string, string>,
  untilSeq: number,
  options: { quietMs?: number } = {},
): Promise<WsRead> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const read: WsRead = { events: [], firstMessageMs: -1, totalMs: 0, bytes: 0 };
    const socket = new WebSocket(url, { headers });
    let quietTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = (): void => {
      clearTimeout(quietTimer);
      read.totalMs = performance.now() - started;
      socket.terminate();
      resolve(read);
    };
    const armQuietTimer = (): void => {
      clearTimeout(quietTimer);
      if (options.quietMs !== undefined) quietTimer = setTimeout(finish, options.quietMs);
    };
    socket.on('open', armQuietTimer);
    socket.on('message', (data: Buffer) => {
      armQuietTimer();
      if (read.firstMessageMs < 0) read.firstMessageMs = performance.now() - started;
      read.bytes += data.byteLength;
      const event = JSON.parse(String(data)) as SessionEvent;
      read.events.push(event);
      if (event.seq >= untilSeq) finish();
    });
    socket.on('close', (code) => {
      read.closeCode = code;
      finish();
    });
    socket.on('unexpected-response', (_request, response) => reject(new Error(`WebSocket ${url} answered ${response.statusCode}`)));
    socket.on('error', reject);
  });
}
