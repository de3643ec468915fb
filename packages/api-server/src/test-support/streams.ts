/**
 * Tests and benchmarks of the client streams: the application with the stream routes mounted where
 * the platform mounts them, a real HTTP server (with the WebSocket streams attached), and readers
 * that collect SSE frames and WebSocket messages up to a seq.
 */
import { get as httpGet } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline } from 'node:stream';
import { constants as zlibConstants, createGunzip } from 'node:zlib';
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
  /** Body bytes as they crossed the network (compressed when the server compressed them). */
  bytes: number;
  /** Body bytes after decoding: the SSE text itself. */
  decodedBytes: number;
  /** The response's Content-Encoding (identity when none). */
  contentEncoding: string;
  /** Why the read ended: the target seq arrived, or the server ended the stream. */
  ended: 'reached' | 'server_closed';
}

/** A read of a stream that is expected to stay silent ends after this much silence. */
export const QUIET_MS = 150;

export interface SseReadOptions {
  quietMs?: number;
  /** Accept-Encoding to send (default gzip, as browsers and Node's fetch do; identity: plain text). */
  acceptEncoding?: string;
}

/** The response to a GET, without decoding (node:http, so the bytes on the wire can be counted). */
function getRaw(url: string, headers: Record<string, string>): { response: Promise<IncomingMessage>; abort(): void } {
  const request = httpGet(url, { headers });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  return { response, abort: () => request.destroy() };
}

async function bodyText(response: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of response) text += String(chunk);
  return text;
}

/**
 * Reads an SSE stream until an event with seq >= untilSeq arrives, the server ends it, or (when
 * nothing more is expected: untilSeq <= afterSeq) the stream stays quiet for QUIET_MS.
 */
export async function readSseUntil(url: string, headers: Record<string, string>, untilSeq: number, options: SseReadOptions = {}): Promise<StreamRead> {
  const started = performance.now();
  const connection = getRaw(url, { 'accept-encoding': options.acceptEncoding ?? 'gzip', ...headers });
  const response = await connection.response;
  if (response.statusCode !== 200) throw new Error(`SSE ${url} answered ${response.statusCode}: ${await bodyText(response)}`);
  const contentEncoding = response.headers['content-encoding'] ?? 'identity';
  const read: StreamRead = { events: [], frames: [], firstByteMs: -1, firstEventMs: -1, totalMs: 0, bytes: 0, decodedBytes: 0, contentEncoding, ended: 'server_closed' };
  response.on('data', (chunk: Buffer) => (read.bytes += chunk.byteLength));
  // Each server flush comes out at once, as from a browser's decoder (sync-flushed output); large
  // output chunks keep the reader's own decoding (a threadpool trip per chunk) from hiding the server's cost.
  const gunzipOptions = { flush: zlibConstants.Z_SYNC_FLUSH, finishFlush: zlibConstants.Z_SYNC_FLUSH, chunkSize: 256 * 1024 };
  // pipeline, not pipe: a connection aborted after the quiet period must end the decoded stream too.
  const body = contentEncoding === 'gzip' ? pipeline(response, createGunzip(gunzipOptions), () => undefined) : response;
  const decoder = new TextDecoder();
  let buffer = '';
  let quietTimer: ReturnType<typeof setTimeout> | undefined;
  const armQuietTimer = (): void => {
    clearTimeout(quietTimer);
    if (options.quietMs !== undefined) quietTimer = setTimeout(connection.abort, options.quietMs);
  };
  try {
    armQuietTimer();
    for await (const chunk of body as AsyncIterable<Buffer>) {
      armQuietTimer();
      if (read.firstByteMs < 0) read.firstByteMs = performance.now() - started;
      read.decodedBytes += chunk.byteLength;
      const text = decoder.decode(chunk, { stream: true });
      const completesFrame = text.includes('\n\n') || (buffer.endsWith('\n') && text.startsWith('\n'));
      buffer += text;
      // A large frame (the snapshot) arrives in many chunks: parse once it is complete, not per chunk.
      if (!completesFrame) continue;
      const parsed = parseSseFrames(buffer);
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
  } catch {
    // aborted after the quiet period, or the server cut the connection: the read ends here
  } finally {
    clearTimeout(quietTimer);
    read.totalMs = performance.now() - started;
    connection.abort();
  }
  return read;
}

export interface WsRead {
  events: SessionEvent[];
  closeCode?: number;
  firstMessageMs: number;
  totalMs: number;
  /** Bytes read from the connection: frames as they crossed the network (plus the ~200-byte upgrade answer). */
  bytes: number;
  /** Message bytes after decoding (inflated when permessage-deflate was negotiated). */
  decodedBytes: number;
  /** The negotiated extensions (e.g. permessage-deflate), empty when none. */
  extensions: string;
}

/** Reads WebSocket messages until seq >= untilSeq arrives, the server closes, or quietMs of silence. */
export function readWsUntil(
  url: string,
  headers: Record<string, string>,
  untilSeq: number,
  options: { quietMs?: number; perMessageDeflate?: boolean } = {},
): Promise<WsRead> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const read: WsRead = { events: [], firstMessageMs: -1, totalMs: 0, bytes: 0, decodedBytes: 0, extensions: '' };
    // Inflated in large chunks, so the reader's own decoding cost does not hide the server's.
    const perMessageDeflate = (options.perMessageDeflate ?? true) && { zlibInflateOptions: { chunkSize: 256 * 1024 } };
    const socket = new WebSocket(url, { headers, perMessageDeflate });
    let connection: Socket | undefined;
    socket.on('upgrade', (response) => (connection = response.socket));
    let quietTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = (): void => {
      clearTimeout(quietTimer);
      read.totalMs = performance.now() - started;
      read.bytes = connection?.bytesRead ?? 0;
      socket.terminate();
      resolve(read);
    };
    const armQuietTimer = (): void => {
      clearTimeout(quietTimer);
      if (options.quietMs !== undefined) quietTimer = setTimeout(finish, options.quietMs);
    };
    socket.on('open', () => {
      read.extensions = socket.extensions;
      armQuietTimer();
    });
    socket.on('message', (data: Buffer) => {
      armQuietTimer();
      if (read.firstMessageMs < 0) read.firstMessageMs = performance.now() - started;
      read.decodedBytes += data.byteLength;
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
