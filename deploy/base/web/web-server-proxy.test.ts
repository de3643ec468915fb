/**
 * web-server.mjs forwarding /api to the API server (a small upstream stands in for it): method,
 * path, headers and body both ways, the OAuth proxy's token as a bearer token, SSE passing through
 * unbuffered and closing upstream when the reader leaves, WebSocket upgrades (accepted and
 * refused), and a clear 502 when the API server is down.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startWebServer, unreachableUrl, writeExportFixture } from './test-support.ts';
import type { WebServer } from './test-support.ts';

interface Echo {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('web-server.mjs: forwarding /api', () => {
  let workDir: string;
  let upstream: Server;
  let web: WebServer;
  const upgrades: IncomingHttpHeaders[] = [];
  /** Streams the upstream holds open, with a way to finish them and a promise of their close. */
  const streams: { response: ServerResponse; closed: Promise<void> }[] = [];

  function upstreamHandler(request: IncomingMessage, response: ServerResponse): void {
    if (request.url?.startsWith('/api/events')) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.write('id: 1\ndata: {"seq":1}\n\n');
      streams.push({ response, closed: new Promise((resolve) => response.on('close', resolve)) });
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += String(chunk)));
    request.on('end', () => {
      if (request.url === '/api/missing') {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"error":"not_found","message":"no route"}');
        return;
      }
      const echo: Echo = {
        method: request.method!,
        url: request.url!,
        headers: request.headers,
        body,
      };
      response.writeHead(201, {
        'content-type': 'application/json',
        'x-upstream': 'yes',
        'set-cookie': ['a=1', 'b=2'],
      });
      response.end(JSON.stringify(echo));
    });
  }

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'web-server-'));
    const root = writeExportFixture(workDir);
    const sockets = new WebSocketServer({ noServer: true });
    upstream = createServer(upstreamHandler);
    upstream.on('upgrade', (request: IncomingMessage, socket, head) => {
      if (request.url?.startsWith('/api/refused')) {
        socket.end(
          'HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 46\r\nConnection: close\r\n\r\n{"error":"unauthorized","message":"bad token"}',
        );
        return;
      }
      upgrades.push({ ...request.headers, ':path': request.url });
      sockets.handleUpgrade(request, socket, head, (ws) =>
        ws.on('message', (data) => ws.send(`echo ${String(data)}`)),
      );
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    web = await startWebServer({ WEB_ROOT: root, API_UPSTREAM: upstreamUrl });
  });

  afterAll(async () => {
    await web?.stop();
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
    rmSync(workDir, { recursive: true, force: true });
  });

  it('forwards the method, path, query, headers and body, and the answer with its status and headers', async () => {
    const response = await fetch(`${web.url}/api/projects/p1/echo?limit=5`, {
      method: 'PUT',
      headers: {
        authorization: 'Bearer caller-token',
        'content-type': 'application/json',
        'x-request-id': 'r-1',
      },
      body: '{"displayName":"P"}',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-upstream')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const echo = (await response.json()) as Echo;
    expect(echo).toMatchObject({
      method: 'PUT',
      url: '/api/projects/p1/echo?limit=5',
      body: '{"displayName":"P"}',
    });
    expect(echo.headers).toMatchObject({
      authorization: 'Bearer caller-token',
      'content-type': 'application/json',
      'x-request-id': 'r-1',
      'x-forwarded-proto': 'http',
    });
    expect(echo.headers['x-forwarded-for']).toMatch(/127\.0\.0\.1/);
  });

  it('turns the OAuth proxy’s X-Forwarded-Access-Token into a bearer token (and drops the header)', async () => {
    const echo = (await (
      await fetch(`${web.url}/api/echo`, {
        headers: { 'x-forwarded-access-token': 'openshift-user-token' },
      })
    ).json()) as Echo;
    expect(echo.headers.authorization).toBe('Bearer openshift-user-token');
    expect(echo.headers).not.toHaveProperty('x-forwarded-access-token');
  });

  it('passes the API server’s own 404 through instead of a page, for /api and /health', async () => {
    const missing = await fetch(`${web.url}/api/missing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'no route' });
    expect(((await (await fetch(`${web.url}/health`)).json()) as Echo).url).toBe('/health');
  });

  it('passes an SSE stream through unbuffered: an event arrives while the upstream stream is still open', async () => {
    const response = await fetch(`${web.url}/api/events`);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toBe('id: 1\ndata: {"seq":1}\n\n');
    const stream = streams.at(-1)!;
    expect(stream.response.writableEnded).toBe(false); // the upstream has not finished: nothing waited for it
    stream.response.end('id: 2\ndata: {"seq":2}\n\n');
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('id: 2\ndata: {"seq":2}\n\n');
  });

  it('closes the upstream stream when the reader goes away', async () => {
    const abort = new AbortController();
    const response = await fetch(`${web.url}/api/events`, { signal: abort.signal });
    await response.body!.getReader().read();
    abort.abort();
    await streams.at(-1)!.closed; // would never settle if the upstream request were left open
  });

  it('forwards a WebSocket upgrade with the token, and messages both ways', async () => {
    const socket = new WebSocket(
      `${web.url.replace('http', 'ws')}/api/projects/p1/agentic-sessions/s1/agui/ws?after=3`,
      {
        headers: { 'x-forwarded-access-token': 'openshift-user-token' },
      },
    );
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const reply = new Promise<string>((resolve) =>
      socket.once('message', (data) => resolve(String(data))),
    );
    socket.send('hello');
    expect(await reply).toBe('echo hello');
    socket.close();
    expect(upgrades.at(-1)).toMatchObject({
      ':path': '/api/projects/p1/agentic-sessions/s1/agui/ws?after=3',
      authorization: 'Bearer openshift-user-token',
    });
  });

  it.each([
    [
      'refused by the API server (its status and body pass through)',
      '/api/refused',
      401,
      'unauthorized',
    ],
    ['outside /api', '/projects/', 404, 'not_found'],
  ])('answers a WebSocket upgrade %s with plain HTTP', async (_label, path, status, code) => {
    const socket = new WebSocket(`${web.url.replace('http', 'ws')}${path}`);
    const refusal = await new Promise<{ status: number; body: string }>((resolve) =>
      socket.on('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += String(chunk)));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      }),
    );
    socket.on('error', () => undefined);
    expect(refusal.status).toBe(status);
    expect(JSON.parse(refusal.body)).toMatchObject({ error: code });
  });
});

describe('web-server.mjs with the API server down', () => {
  let workDir: string;
  let down: WebServer;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'web-server-'));
    down = await startWebServer({
      WEB_ROOT: writeExportFixture(workDir),
      API_UPSTREAM: await unreachableUrl(),
    });
  });

  afterAll(async () => {
    await down?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('answers /api with 502 and a message that says so, and still serves the pages', async () => {
    const response = await fetch(`${down.url}/api/projects`);
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('bad_gateway');
    expect(body.message).toMatch(/API server .* is unreachable/);
    expect((await fetch(`${down.url}/`)).status).toBe(200);
  });

  it('answers a WebSocket upgrade with 502', async () => {
    const socket = new WebSocket(
      `${down.url.replace('http', 'ws')}/api/projects/p1/agentic-sessions/s1/agui/ws`,
    );
    socket.on('error', () => undefined);
    const status = await new Promise<number>((resolve) =>
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)),
    );
    expect(status).toBe(502);
  });
});
