import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from './client.ts';
import { ClientError, InvalidResponseError } from './errors.ts';
import { sendJson, startTestServer } from './test-http-server.ts';
import type { TestHandler, TestHttpServer } from './test-http-server.ts';

const TOKEN = 'secret-token-0123456789';
const FAST_BACKOFF = { initialDelayMs: 5, maxDelayMs: 20 };

const settings = {
  apiVersion: 'vteam.ambient-code/v1alpha1',
  kind: 'ProjectSettings',
  metadata: { name: 'projectsettings', namespace: 'demo' },
  spec: { groupAccess: [], defaultModel: 'claude-test', concurrencyLimit: 2 },
};
const key = { id: 'key-1', name: 'ci', role: 'edit', createdAt: '2026-01-01T00:00:00Z' };

describe('auth and project configuration routes', () => {
  let server: TestHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  // An empty token means "not signed in": the transport then sends no Authorization header.
  async function clientFor(handler: TestHandler, token = TOKEN) {
    server = await startTestServer(handler);
    return createClient({ baseUrl: server.url, token, backoff: FAST_BACKOFF });
  }

  const calls = () => server!.requests.map((request) => `${request.method} ${request.url}`);

  it('signs in without a token and asks who the token belongs to', async () => {
    const client = await clientFor((_request, response, recorded) => {
      if (recorded.url === '/api/auth/login') {
        return sendJson(response, 200, {
          token: 'new-token',
          expiresAt: '2026-01-08T00:00:00Z',
          user: { name: 'alice', groups: ['team'], isAdmin: false },
        });
      }
      sendJson(response, 200, { userId: 'alice', groups: ['team'], isAdmin: false });
    }, '');
    expect(await client.auth.login('alice', 'correct horse')).toMatchObject({ token: 'new-token' });
    expect(await client.auth.me()).toEqual({ userId: 'alice', groups: ['team'], isAdmin: false });
    const [login] = server!.requests;
    expect(JSON.parse(login!.body)).toEqual({ username: 'alice', password: 'correct horse' });
    expect(login!.headers['authorization']).toBeUndefined();
  });

  it('reads the caller role and lists, grants and revokes permissions', async () => {
    const grant = { subjectType: 'group', subjectName: 'readers', role: 'view' };
    const client = await clientFor((_request, response, recorded) => {
      if (recorded.method === 'DELETE') return void response.writeHead(204).end();
      if (recorded.method === 'POST') return sendJson(response, 201, grant);
      if (recorded.url.endsWith('/access'))
        return sendJson(response, 200, { project: 'demo', userRole: 'admin' });
      sendJson(response, 200, { items: [grant] });
    });
    expect(await client.projects.access('demo')).toEqual({ project: 'demo', userRole: 'admin' });
    expect(await client.projects.permissions.list('demo')).toEqual([grant]);
    expect(
      await client.projects.permissions.grant('demo', {
        subjectType: 'group',
        subjectName: 'readers',
        role: 'view',
      }),
    ).toEqual(grant);
    await client.projects.permissions.revoke('demo', 'user', 'bob@example.com');
    expect(calls()).toEqual([
      'GET /api/projects/demo/access',
      'GET /api/projects/demo/permissions',
      'POST /api/projects/demo/permissions',
      'DELETE /api/projects/demo/permissions/user/bob%40example.com',
    ]);
  });

  it('lists, creates (returning the key once) and revokes access keys', async () => {
    const client = await clientFor((_request, response, recorded) => {
      if (recorded.method === 'DELETE') return void response.writeHead(204).end();
      if (recorded.method === 'POST')
        return sendJson(response, 201, { ...key, key: 'ak_secret_value' });
      sendJson(response, 200, { items: [key] });
    });
    expect(await client.projects.keys.list('demo')).toEqual([key]);
    const created = await client.projects.keys.create('demo', {
      name: 'ci',
      role: 'edit',
      expiresInSeconds: 3600,
    });
    expect(created.key).toBe('ak_secret_value');
    await client.projects.keys.revoke('demo', 'key/1');
    expect(calls()).toEqual([
      'GET /api/projects/demo/keys',
      'POST /api/projects/demo/keys',
      'DELETE /api/projects/demo/keys/key%2F1',
    ]);
    expect(JSON.parse(server!.requests[1]!.body)).toEqual({
      name: 'ci',
      role: 'edit',
      expiresInSeconds: 3600,
    });
  });

  it('gets and replaces the settings with PUT, which is never retried', async () => {
    const client = await clientFor((_request, response, recorded) => {
      if (recorded.method === 'PUT' && recorded.url.endsWith('/settings'))
        return sendJson(response, 503, { error: 'unavailable', message: 'restarting' });
      sendJson(response, 200, settings);
    });
    expect((await client.projects.settings.get('demo')).spec.defaultModel).toBe('claude-test');
    await expect(
      client.projects.settings.put('demo', { concurrencyLimit: 3 }),
    ).rejects.toBeInstanceOf(ClientError);
    expect(calls()).toEqual(['GET /api/projects/demo/settings', 'PUT /api/projects/demo/settings']);
    expect(JSON.parse(server!.requests[1]!.body)).toEqual({ concurrencyLimit: 3 });
  });

  it('describes and sets both secrets, sending values only in PUT bodies', async () => {
    const view = {
      name: 'ambient-runner-secrets',
      keys: [{ key: 'ANTHROPIC_API_KEY', updatedAt: '2026-01-01T00:00:00Z' }],
    };
    const client = await clientFor((_request, response) => sendJson(response, 200, view));
    expect(await client.projects.secrets.describe('demo', 'runner')).toEqual(view);
    await client.projects.secrets.put('demo', 'integrations', { GITHUB_TOKEN: 'ghp_x', OLD: '' });
    expect(calls()).toEqual([
      'GET /api/projects/demo/runner-secrets',
      'PUT /api/projects/demo/integration-secrets',
    ]);
    expect(JSON.parse(server!.requests[1]!.body)).toEqual({
      data: { GITHUB_TOKEN: 'ghp_x', OLD: '' },
    });
  });

  it('rejects a secrets answer that does not match the contract', async () => {
    const client = await clientFor((_request, response) =>
      sendJson(response, 200, { name: 'x', keys: [{ key: 'A', value: 1 }] }),
    );
    await expect(client.projects.secrets.describe('demo', 'runner')).rejects.toBeInstanceOf(
      InvalidResponseError,
    );
  });
});
