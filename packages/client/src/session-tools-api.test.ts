import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from './client.ts';
import { ClientError } from './errors.ts';
import { fileNameFromDisposition, workspacePathSegments } from './session-tools-api.ts';
import { sendJson, startTestServer } from './test-http-server.ts';
import type { TestHandler, TestHttpServer } from './test-http-server.ts';

const TOKEN = 'secret-token-0123456789';
const FAST_BACKOFF = { initialDelayMs: 5, maxDelayMs: 20 };
const SESSION = '/api/projects/demo/agentic-sessions/session-1';
const listing = {
  path: 'docs',
  items: [
    { name: 'guide', path: 'docs/guide', type: 'directory', size: 96, modifiedAt: '2026-01-01T00:00:00Z' },
    { name: 'a b.txt', path: 'docs/a b.txt', type: 'file', size: 5, modifiedAt: '2026-01-01T00:00:00Z' },
  ],
};

describe('session clone, export and workspace routes', () => {
  let server: TestHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function clientFor(handler: TestHandler) {
    server = await startTestServer(handler);
    return createClient({ baseUrl: server.url, token: TOKEN, backoff: FAST_BACKOFF });
  }

  const calls = () => server!.requests.map((request) => `${request.method} ${request.url}`);

  it('clones a session into a target project', async () => {
    const client = await clientFor((_request, response) =>
      sendJson(response, 201, { name: 'session-2', uid: 'uid-2', project: 'other' }),
    );
    const copy = await client.sessions.clone('demo', 'session-1', { targetProject: 'other', displayName: 'Again' });
    expect(copy).toEqual({ name: 'session-2', uid: 'uid-2', project: 'other' });
    expect(calls()).toEqual([`POST ${SESSION}/clone`]);
    expect(JSON.parse(server!.requests[0]!.body)).toEqual({ targetProject: 'other', displayName: 'Again' });
    expect(server!.requests[0]!.headers['authorization']).toBe(`Bearer ${TOKEN}`);
  });

  it('exports the transcript as JSON or Markdown, named as the server says', async () => {
    const client = await clientFor((_request, response, recorded) => {
      if (recorded.url.endsWith('format=markdown')) {
        response.writeHead(200, { 'content-type': 'text/markdown; charset=utf-8' });
        return void response.end('# Session session-1\n');
      }
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': 'attachment; filename="session-1.json"',
      });
      response.end('{"session":{},"events":[]}');
    });
    const json = await client.sessions.export('demo', 'session-1', 'json');
    expect(json.fileName).toBe('session-1.json');
    expect(JSON.parse(await json.body.text())).toEqual({ session: {}, events: [] });
    const markdown = await client.sessions.export('demo', 'session-1', 'markdown');
    // No Content-Disposition: the name falls back to the session's.
    expect(markdown.fileName).toBe('session-1.md');
    expect(markdown.contentType).toMatch(/^text\/markdown/);
    expect(await markdown.body.text()).toBe('# Session session-1\n');
    expect(calls()).toEqual([`GET ${SESSION}/export?format=json`, `GET ${SESSION}/export?format=markdown`]);
  });

  it('lists a directory and reads a file, encoding each path segment', async () => {
    const client = await clientFor((_request, response, recorded) => {
      if (recorded.url.endsWith('/workspace/docs')) return sendJson(response, 200, listing);
      if (recorded.url.endsWith('/workspace')) return sendJson(response, 200, { path: '', items: [] });
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(Buffer.from('hello'));
    });
    expect(await client.sessions.workspace.list('demo', 'session-1')).toEqual({ path: '', items: [] });
    expect(await client.sessions.workspace.list('demo', 'session-1', 'docs')).toEqual(listing);
    const file = await client.sessions.workspace.read('demo', 'session-1', 'docs/a b.txt');
    expect(file.type).toBe('file');
    if (file.type === 'file') expect(await file.body.text()).toBe('hello');
    const directory = await client.sessions.workspace.read('demo', 'session-1', 'docs/');
    expect(directory).toEqual({ type: 'directory', listing });
    expect(calls()).toEqual([
      `GET ${SESSION}/workspace`,
      `GET ${SESSION}/workspace/docs`,
      `GET ${SESSION}/workspace/docs/a%20b.txt`,
      `GET ${SESSION}/workspace/docs`,
    ]);
  });

  it('asks once when the workspace is unavailable (503) and reports the server message', async () => {
    const client = await clientFor((_request, response) =>
      sendJson(response, 503, { error: 'unavailable', message: 'workspace files are not available in this mode yet' }),
    );
    const failure = await client.sessions.workspace.list('demo', 'session-1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ClientError);
    expect(failure).toMatchObject({ status: 503, code: 'unavailable', message: 'workspace files are not available in this mode yet' });
    expect(server!.requests).toHaveLength(1);
    expect((failure as ClientError).retryAfterSeconds).toBeUndefined();
  });

  it('reports Retry-After on a 503 the server expects to clear (a workspace viewer starting)', async () => {
    const client = await clientFor((_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2' });
      response.end(JSON.stringify({ error: 'unavailable', message: 'starting the workspace viewer; retry shortly' }));
    });
    const failure = await client.sessions.workspace.list('demo', 'session-1').catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 503, retryAfterSeconds: 2 });
  });

  it('parses download names and path segments defensively', () => {
    expect(fileNameFromDisposition('attachment; filename="s.md"')).toBe('s.md');
    expect(fileNameFromDisposition("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.md")).toBe('résumé.md');
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(fileNameFromDisposition(null)).toBeUndefined();
    expect(workspacePathSegments('/a//b c/#1.txt')).toBe('a/b%20c/%231.txt');
  });
});
