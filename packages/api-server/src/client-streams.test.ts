/**
 * WebSocket session streams: authentication before the upgrade (header or ?token=), the REST
 * project-role check (outsiders get the REST 404), cursor validation, read-only sockets, pings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AgenticSessionKind, EventType, ProjectKind } from '@ambient/contracts';
import { CLIENT_STREAM_CLOSE, redactedUrl } from './client-streams.ts';
import type { ApiDeps } from './deps.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from './test-support/embedded-deps.ts';
import { readWsUntil, startTestServer } from './test-support/streams.ts';
import type { TestServer } from './test-support/streams.ts';

interface Outcome {
  status?: number;
  body?: { error: string; message: string };
  opened: boolean;
  firstMessage?: { seq: number; type: string };
  closeCode?: number;
}

describe('WebSocket client streams', () => {
  let deps: ApiDeps;
  let closeDatabase: () => void;
  let server: TestServer;
  const tokens: Record<'viewer' | 'stranger', string> = { viewer: '', stranger: '' };

  beforeAll(async () => {
    ({ deps, close: closeDatabase } = createTestDeps());
    await deps.store.create(ProjectKind, { metadata: { name: 'p1' }, spec: {} });
    const session = await deps.store.create(AgenticSessionKind, { metadata: { name: 's1', namespace: 'p1' }, spec: { interactive: true } });
    await deps.events.append(session.metadata.uid, [{ event: { type: EventType.RUN_STARTED, threadId: 's1', runId: 'r1' } }]);
    for (const name of ['viewer', 'stranger'] as const) {
      await deps.identities.createUser({ name });
      tokens[name] = (await deps.identities.issueToken({ subject: { kind: 'user', userName: name }, name: 'test' })).token;
    }
    await deps.permissions.grant('p1', { subjectType: 'user', subjectName: 'viewer', role: 'view' });
    server = await startTestServer(deps, { clientStreams: { pingIntervalMs: 50 } });
  });

  afterAll(async () => {
    await server.close();
    closeDatabase();
  });

  /** Connects and reports the HTTP refusal, or the first message and the close code. */
  function connect(path: string, headers: Record<string, string> = {}, afterOpen?: (socket: WebSocket) => void): Promise<Outcome> {
    return new Promise((resolve) => {
      const outcome: Outcome = { opened: false };
      const socket = new WebSocket(`${server.wsUrl}${path}`, { headers });
      socket.on('unexpected-response', (_request, response) => {
        outcome.status = response.statusCode;
        let text = '';
        response.on('data', (chunk: Buffer) => (text += String(chunk)));
        response.on('end', () => {
          outcome.body = JSON.parse(text) as Outcome['body'];
          resolve(outcome);
        });
      });
      socket.on('open', () => {
        outcome.opened = true;
        afterOpen?.(socket);
      });
      socket.on('message', (data) => {
        outcome.firstMessage ??= JSON.parse(String(data)) as Outcome['firstMessage'];
        if (!afterOpen) socket.close();
      });
      socket.on('close', (code) => {
        outcome.closeCode = code;
        resolve(outcome);
      });
      socket.on('error', () => undefined);
    });
  }

  const PATH = '/api/projects/p1/agentic-sessions/s1/agui/ws';

  it.each<[string, number, string, Record<string, string>, string]>([
    ['no token', 401, PATH, {}, 'unauthorized'],
    ['a wrong token', 401, PATH, { authorization: 'Bearer not-a-token' }, 'unauthorized'],
    ['a wrong ?token=', 401, `${PATH}?token=nope`, {}, 'unauthorized'],
    ['an outsider', 404, PATH, { authorization: 'Bearer STRANGER' }, 'not_found'],
    ['an unknown project', 404, '/api/projects/nope/agentic-sessions/s1/agui/ws', { authorization: 'Bearer ADMIN' }, 'not_found'],
    ['an unknown session', 404, '/api/projects/p1/agentic-sessions/s2/agui/ws', { authorization: 'Bearer ADMIN' }, 'not_found'],
    ['a garbage cursor', 400, `${PATH}?after=abc`, { authorization: 'Bearer ADMIN' }, 'bad_request'],
    ['a garbage compact flag', 400, `${PATH}?compact=maybe`, { authorization: 'Bearer ADMIN' }, 'bad_request'],
  ])('refuses %s with HTTP %i before upgrading', async (_label, status, path, rawHeaders, code) => {
    const headers = Object.fromEntries(
      Object.entries(rawHeaders).map(([key, value]) => [key, value.replace('STRANGER', tokens.stranger).replace('ADMIN', TEST_ADMIN_TOKEN)]),
    );
    const outcome = await connect(path, headers);
    expect(outcome).toMatchObject({ status, opened: false, body: { error: code } });
  });

  it('answers an outsider exactly as the REST route does (the project does not leak)', async () => {
    const outcome = await connect(PATH, { authorization: `Bearer ${tokens.stranger}` });
    const rest = await fetch(`${server.url}/api/projects/p1/agentic-sessions/s1`, { headers: { authorization: `Bearer ${tokens.stranger}` } });
    expect(outcome.status).toBe(rest.status);
    expect(outcome.body).toEqual(await rest.json());
  });

  it.each([
    ['the Authorization header', PATH, () => ({ authorization: `Bearer ${tokens.viewer}` })],
    ['?token= (browsers)', () => `${PATH}?token=${tokens.viewer}`, () => ({})],
  ])('lets a viewer in with %s', async (_label, path, headers) => {
    const outcome = await connect(typeof path === 'string' ? path : path(), headers());
    expect(outcome).toMatchObject({ opened: true, firstMessage: { seq: 1, type: EventType.RUN_STARTED } });
  });

  it('closes a socket whose client sends a frame: the stream is read-only', async () => {
    const outcome = await connect(PATH, { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, (socket) => socket.send('{"type":"user_message"}'));
    expect(outcome.closeCode).toBe(CLIENT_STREAM_CLOSE.readOnly);
  });

  it('pings, and drops a peer that stops answering', async () => {
    const socket = new WebSocket(`${server.wsUrl}${PATH}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, autoPong: false });
    let pings = 0;
    socket.on('ping', () => (pings += 1));
    const code = await new Promise<number>((resolve) => socket.on('close', resolve));
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(code).toBe(1006); // terminated: no closing handshake for a dead peer
  });

  it('compresses a large message when the client offers permessage-deflate, and it arrives intact', async () => {
    const delta = 'the same tool output line again\n'.repeat(2_000);
    const uid = (await deps.store.get(AgenticSessionKind, 'p1', 's1'))!.metadata.uid;
    const { lastSeq } = await deps.events.append(uid, [{ event: { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'm1', delta } }]);
    const read = await readWsUntil(`${server.wsUrl}${PATH}?after=${lastSeq - 1}`, { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, lastSeq);
    expect(read.extensions).toContain('permessage-deflate');
    expect(read.events).toEqual([{ type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'm1', delta, seq: lastSeq }]);
    expect(read.bytes).toBeLessThan(read.decodedBytes / 10);
  });

  it('never logs the ?token= value', () => {
    const url = new URL(`http://localhost${PATH}?after=3&token=acp_secret-value`);
    expect(redactedUrl(url)).toBe(`${PATH}?after=3&token=[redacted]`);
    expect(redactedUrl(url)).not.toContain('secret');
  });
});
