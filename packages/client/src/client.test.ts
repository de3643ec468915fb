import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from './client.ts';
import { ClientError, ConnectionError, InvalidResponseError } from './errors.ts';
import { normalizeBaseUrl } from './transport.ts';
import { sendJson, startTestServer } from './test-http-server.ts';
import type { TestHandler, TestHttpServer } from './test-http-server.ts';

const FAST_BACKOFF = { initialDelayMs: 5, maxDelayMs: 20 };
const TOKEN = 'secret-token-0123456789';

describe('client requests', () => {
  let server: TestHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function clientFor(handler: TestHandler, baseSuffix = '') {
    server = await startTestServer(handler);
    return createClient({ baseUrl: server.url + baseSuffix, token: TOKEN, backoff: FAST_BACKOFF });
  }

  it('sends the bearer token and JSON, and parses responses with the contract schemas', async () => {
    const client = await clientFor((_request, response, recorded) => {
      if (recorded.method === 'POST')
        return sendJson(response, 201, { name: 'demo', displayName: 'Demo' });
      sendJson(response, 200, {
        items: [{ name: 'demo', creationTimestamp: '2026-01-01T00:00:00Z' }],
      });
    }, '/api/');
    expect(await client.projects.create({ name: 'demo', displayName: 'Demo' })).toEqual({
      name: 'demo',
      displayName: 'Demo',
    });
    expect(await client.projects.list()).toEqual([
      { name: 'demo', creationTimestamp: '2026-01-01T00:00:00Z' },
    ]);
    const [post, get] = server!.requests;
    expect(post).toMatchObject({
      method: 'POST',
      url: '/api/projects',
      body: '{"name":"demo","displayName":"Demo"}',
    });
    expect(post?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(post?.headers['content-type']).toBe('application/json');
    expect(get).toMatchObject({ method: 'GET', url: '/api/projects' });
  });

  it('maps the routes of sessions, encoding names into single path segments', async () => {
    const client = await clientFor((_request, response, recorded) => {
      if (recorded.method === 'DELETE') {
        response.writeHead(204).end();
      } else if (recorded.url.endsWith('/stop')) {
        sendJson(response, 202, { message: 'stop requested', phase: 'Running' });
      } else if (recorded.url.endsWith('/agui/run')) {
        sendJson(response, 202, { threadId: 's', runId: 'r', status: 'accepted' });
      } else {
        sendJson(response, 201, { name: 'session-1', uid: 'u' });
      }
    });
    await client.sessions.create('team a', { prompt: 'hi', interactive: false });
    await client.sessions.stop('demo', 'session-1');
    expect(await client.sessions.send('demo', 'session-1', 'hello')).toMatchObject({ runId: 'r' });
    await expect(client.sessions.delete('demo', '../x')).resolves.toBeUndefined();
    expect(server!.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /api/projects/team%20a/agentic-sessions',
      'POST /api/projects/demo/agentic-sessions/session-1/stop',
      'POST /api/projects/demo/agentic-sessions/session-1/agui/run',
      'DELETE /api/projects/demo/agentic-sessions/..%2Fx',
    ]);
    expect(JSON.parse(server!.requests[2]!.body)).toEqual({ message: 'hello' });
  });

  it('lists every session across pages by following the continue token', async () => {
    const session = (name: string) => ({
      apiVersion: 'vteam.ambient-code/v1alpha1',
      kind: 'AgenticSession',
      metadata: { name, namespace: 'demo' },
      spec: { interactive: true },
    });
    const client = await clientFor((_request, response, recorded) => {
      if (recorded.url.endsWith('continue=2'))
        return sendJson(response, 200, { items: [session('c')], totalCount: 3 });
      sendJson(response, 200, {
        items: [session('a'), session('b')],
        totalCount: 3,
        continue: '2',
      });
    });
    const sessions = await client.sessions.list('demo');
    expect(sessions.map((each) => each.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(server!.requests.map((request) => request.url)).toEqual([
      '/api/projects/demo/agentic-sessions',
      '/api/projects/demo/agentic-sessions?continue=2',
    ]);
  });

  it('turns error bodies into ClientError with status, code, message and details', async () => {
    const details = [{ path: 'prompt', message: 'required' }];
    const client = await clientFor((_request, response) =>
      sendJson(response, 400, { error: 'bad_request', message: 'the request is invalid', details }),
    );
    const error = await client.sessions.create('demo', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({
      status: 400,
      code: 'bad_request',
      message: 'the request is invalid',
      details,
    });
  });

  it('still gives a readable ClientError when a proxy answers with HTML', async () => {
    const client = await clientFor((_request, response) => {
      response.writeHead(404, { 'content-type': 'text/html' });
      response.end('<html><body>Not Found</body></html>');
    });
    await expect(client.projects.get('demo')).rejects.toMatchObject({
      status: 404,
      code: 'http_404',
      message: expect.stringContaining('Not Found'),
    });
  });

  it('does not retry 401 or other 4xx answers', async () => {
    const client = await clientFor((_request, response) =>
      sendJson(response, 401, {
        error: 'unauthorized',
        message: 'invalid or expired bearer token',
      }),
    );
    await expect(client.projects.list()).rejects.toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
    expect(server!.requests).toHaveLength(1);
  });

  it('retries a GET after network errors and 503s, then succeeds', async () => {
    const client = await clientFor((_request, response, _recorded, index) => {
      if (index === 0) return void response.socket?.destroy();
      if (index === 1)
        return sendJson(response, 503, { error: 'unavailable', message: 'restarting' });
      sendJson(response, 200, { status: 'healthy' });
    });
    expect(await client.health()).toEqual({ status: 'healthy' });
    expect(server!.requests).toHaveLength(3);
  });

  it('never repeats a POST whose connection broke', async () => {
    const client = await clientFor((_request, response) => void response.socket?.destroy());
    await expect(client.sessions.send('demo', 'session-1', 'hello')).rejects.toBeInstanceOf(
      ConnectionError,
    );
    expect(server!.requests).toHaveLength(1);
  });

  it('gives up on an unreachable server with a ConnectionError naming the URL, not the token', async () => {
    server = await startTestServer(() => undefined);
    const url = server.url;
    await server.close();
    server = undefined;
    const client = createClient({
      baseUrl: url,
      token: TOKEN,
      backoff: FAST_BACKOFF,
      getRetries: 1,
    });
    const error = await client.projects.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain(`cannot reach ${url}/api/projects`);
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('rejects a 2xx body that does not match the contract', async () => {
    const client = await clientFor((_request, response) =>
      sendJson(response, 200, { items: [{ nom: 'x' }] }),
    );
    await expect(client.projects.list()).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('normalises base URLs given as the server root or the API root', () => {
    expect(normalizeBaseUrl('http://host:8080')).toBe('http://host:8080');
    expect(normalizeBaseUrl('http://host:8080/api/')).toBe('http://host:8080');
    expect(normalizeBaseUrl('https://host/ambient/api')).toBe('https://host/ambient');
  });
});
