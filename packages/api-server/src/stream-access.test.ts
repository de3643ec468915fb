/**
 * Open streams lose their reader when its access goes: revoking a grant (through the API: at once;
 * behind the API's back, as another replica or kubectl would: at the periodic re-check) or deleting
 * an access key ends SSE session and project streams with a final comment and WebSockets with 4403,
 * and nothing written after the revocation reaches the former reader. Readers who keep access are
 * left alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AgenticSessionKind, EventType, ProjectKind } from '@ambient/contracts';
import type { Authorizer } from './auth/middleware.ts';
import { CLIENT_STREAM_CLOSE } from './client-streams.ts';
import type { ApiDeps } from './deps.ts';
import { ACCESS_REVOKED_COMMENT } from './routes/session-events.ts';
import type { StreamLimits } from './session-stream.ts';
import { AccessRevokedError, AccessWatch } from './stream-access.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from './test-support/embedded-deps.ts';
import { startTestServer } from './test-support/streams.ts';
import type { TestServer } from './test-support/streams.ts';

const SESSION_PATH = '/api/projects/p1/agentic-sessions/s1';
const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

describe('AccessWatch', () => {
  const HOUR_MS = 3_600_000;

  it('re-checks at once on a notice, then refuses every later send', async () => {
    let allowed = true;
    let notify = (): void => undefined;
    const watch = new AccessWatch({
      intervalMs: HOUR_MS,
      check: async () => allowed,
      subscribe: (listener) => ((notify = listener), () => undefined),
    });
    const sent: number[] = [];
    const send = watch.guard(async (item: number) => void sent.push(item));
    await send(1);
    allowed = false;
    notify();
    await send(2);
    expect(sent).toEqual([1]);
    expect(watch.signal.aborted).toBe(true);
    expect(watch.signal.reason).toBeInstanceOf(AccessRevokedError);
    expect(watch.revoked).toBe(true);
  });

  it('ends, without calling it a revocation, when access cannot be checked', async () => {
    let notify = (): void => undefined;
    const failure = new Error('the Kubernetes API is unreachable');
    const watch = new AccessWatch({
      intervalMs: HOUR_MS,
      check: () => Promise.reject(failure),
      subscribe: (listener) => ((notify = listener), () => undefined),
    });
    notify();
    expect(await watch.allows()).toBe(false);
    expect(watch.signal.reason).toBe(failure);
    expect(watch.revoked).toBe(false);
  });

  it('re-checks an idle stream periodically', async () => {
    let checks = 0;
    const watch = new AccessWatch({ intervalMs: 10, check: async () => ++checks < 3 });
    await new Promise((resolve) => watch.signal.addEventListener('abort', resolve));
    expect(checks).toBe(3);
    expect(watch.revoked).toBe(true);
  });
});

interface Fixture {
  deps: ApiDeps;
  server: TestServer;
  uid: string;
  viewerToken: string;
}

describe('revoking access ends open streams', () => {
  let closeAll = async (): Promise<void> => undefined;
  afterEach(() => closeAll());

  async function setUp(limits: Partial<StreamLimits> = {}): Promise<Fixture> {
    const { deps, close } = createTestDeps();
    await deps.store.create(ProjectKind, { metadata: { name: 'p1' }, spec: {} });
    const uid = (
      await deps.store.create(AgenticSessionKind, {
        metadata: { name: 's1', namespace: 'p1' },
        spec: { interactive: true },
      })
    ).metadata.uid;
    await deps.events.append(uid, [
      { event: { type: EventType.RUN_STARTED, threadId: 's1', runId: 'r1' } },
    ]);
    await deps.identities.createUser({ name: 'viewer' });
    const viewerToken = (
      await deps.identities.issueToken({
        subject: { kind: 'user', userName: 'viewer' },
        name: 'test',
      })
    ).token;
    await deps.permissions.grant('p1', {
      subjectType: 'user',
      subjectName: 'viewer',
      role: 'view',
    });
    const server = await startTestServer(deps, { limits });
    closeAll = async () => {
      await server.close();
      close();
    };
    return { deps, server, uid, viewerToken };
  }

  /** An SSE stream read as text; `until` waits for a piece of it, `end` for the server to finish it. */
  async function openSse(url: string, token: string) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const more = async (): Promise<boolean> => {
      const chunk = await reader.read();
      if (!chunk.done) text += decoder.decode(chunk.value, { stream: true });
      return !chunk.done;
    };
    return {
      contentEncoding: response.headers.get('content-encoding'),
      async until(piece: string): Promise<void> {
        while (!text.includes(piece))
          if (!(await more())) throw new Error(`the stream ended before ${JSON.stringify(piece)}`);
      },
      async end(): Promise<string> {
        while (await more());
        return text;
      },
      close: () => reader.cancel(),
    };
  }

  function openWs(fixture: Fixture, token: string) {
    const socket = new WebSocket(`${fixture.server.wsUrl}${SESSION_PATH}/agui/ws`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const seqs: number[] = [];
    socket.on('message', (data) => seqs.push((JSON.parse(String(data)) as { seq: number }).seq));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    const caughtUp = new Promise<void>((resolve) => socket.once('message', () => resolve()));
    return { seqs, closed, caughtUp };
  }

  const revokeViewer = (fixture: Fixture) =>
    fetch(`${fixture.server.url}/api/projects/p1/permissions/user/viewer`, {
      method: 'DELETE',
      headers: ADMIN,
    }).then((response) => expect(response.status).toBe(204));
  const appendEvent = (fixture: Fixture) =>
    fixture.deps.events.append(fixture.uid, [
      { event: { type: EventType.RUN_FINISHED, threadId: 's1', runId: 'r1' } },
    ]);

  it('SSE session stream: ends with the final comment, sends nothing after the revocation, and the reconnect is refused', async () => {
    const fixture = await setUp();
    const viewer = await openSse(
      `${fixture.server.url}${SESSION_PATH}/agui/events`,
      fixture.viewerToken,
    );
    expect(viewer.contentEncoding).toBe('gzip'); // fetch asks for it; the final comment must come through the compressor
    const admin = await openSse(
      `${fixture.server.url}${SESSION_PATH}/agui/events`,
      TEST_ADMIN_TOKEN,
    );
    await viewer.until('id: 1\n');
    await admin.until('id: 1\n');
    await revokeViewer(fixture);
    await appendEvent(fixture);
    const text = await viewer.end();
    expect(text.endsWith(ACCESS_REVOKED_COMMENT)).toBe(true);
    expect(text).not.toContain('id: 2\n');
    await admin.until('id: 2\n'); // the admin keeps reading
    await admin.close();
    const again = await fetch(`${fixture.server.url}${SESSION_PATH}/agui/events`, {
      headers: { authorization: `Bearer ${fixture.viewerToken}` },
    });
    expect(again.status).toBe(404);
  });

  it('SSE project stream: ends with the final comment and carries no change made after the revocation', async () => {
    const fixture = await setUp();
    const viewer = await openSse(
      `${fixture.server.url}/api/projects/p1/events`,
      fixture.viewerToken,
    );
    await viewer.until('"type":"reset"');
    await revokeViewer(fixture);
    await fixture.deps.store.create(AgenticSessionKind, {
      metadata: { name: 's2', namespace: 'p1' },
      spec: { interactive: true },
    });
    const text = await viewer.end();
    expect(text.endsWith(ACCESS_REVOKED_COMMENT)).toBe(true);
    expect(text).not.toContain('"name":"s2"');
  });

  it('WebSocket: closes with 4403 and sends nothing after the revocation', async () => {
    const fixture = await setUp();
    const viewer = openWs(fixture, fixture.viewerToken);
    await viewer.caughtUp;
    await revokeViewer(fixture);
    await appendEvent(fixture);
    const { code, reason } = await viewer.closed;
    expect(code).toBe(CLIENT_STREAM_CLOSE.accessRevoked);
    expect(reason).toMatch(/access revoked/);
    expect(viewer.seqs).toEqual([1]);
  });

  it('WebSocket: closes with 4403 when the access key it was opened with is deleted', async () => {
    const fixture = await setUp();
    const key = await fixture.deps.identities.issueToken({
      subject: { kind: 'access_key', project: 'p1', role: 'view' },
      name: 'ci',
    });
    const reader = openWs(fixture, key.token);
    await reader.caughtUp;
    const deleted = await fetch(`${fixture.server.url}/api/projects/p1/keys/${key.record.id}`, {
      method: 'DELETE',
      headers: ADMIN,
    });
    expect(deleted.status).toBe(204);
    expect((await reader.closed).code).toBe(CLIENT_STREAM_CLOSE.accessRevoked);
  });

  it('a grant removed behind the API (another replica, kubectl) ends the stream at the periodic re-check', async () => {
    const fixture = await setUp({ accessRecheckMs: 50 });
    const sse = await openSse(
      `${fixture.server.url}${SESSION_PATH}/agui/events`,
      fixture.viewerToken,
    );
    const ws = openWs(fixture, fixture.viewerToken);
    await sse.until('id: 1\n');
    await ws.caughtUp;
    expect(await fixture.deps.permissions.revoke('p1', 'user', 'viewer')).toBe(true);
    expect((await sse.end()).endsWith(ACCESS_REVOKED_COMMENT)).toBe(true);
    expect((await ws.closed).code).toBe(CLIENT_STREAM_CLOSE.accessRevoked);
  });

  it('a downgrade that keeps the view role leaves the stream open', async () => {
    const fixture = await setUp();
    await fixture.deps.permissions.grant('p1', {
      subjectType: 'user',
      subjectName: 'viewer',
      role: 'edit',
    });
    const viewer = await openSse(
      `${fixture.server.url}${SESSION_PATH}/agui/events`,
      fixture.viewerToken,
    );
    await viewer.until('id: 1\n');
    const granted = await fetch(`${fixture.server.url}/api/projects/p1/permissions`, {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ subjectType: 'user', subjectName: 'viewer', role: 'view' }),
    });
    expect(granted.status).toBe(201);
    await appendEvent(fixture);
    await viewer.until('id: 2\n');
    await viewer.close();
  });

  it('WebSocket: closes with 1011 (resume) when access cannot be confirmed', async () => {
    const fixture = await setUp({ accessRecheckMs: 50 });
    const working = fixture.deps.authorizer;
    let failing = false;
    // The deps are read at each check, as a cluster-mode authorizer whose API server went away.
    const authorizer: Authorizer = {
      roleIn: (identity, project) =>
        failing
          ? Promise.reject(new Error('the Kubernetes API is unreachable'))
          : working.roleIn(identity, project),
      canCreateProjects: (identity) => working.canCreateProjects(identity),
    };
    fixture.deps.authorizer = authorizer;
    const viewer = openWs(fixture, fixture.viewerToken);
    await viewer.caughtUp;
    failing = true;
    expect((await viewer.closed).code).toBe(CLIENT_STREAM_CLOSE.serverError);
  });
});
