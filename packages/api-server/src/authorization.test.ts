/**
 * Every project route for every role: project admin, edit, view, a signed-in user with no role,
 * and an access key of another project. Outsiders get 404 (projects do not leak), members with too
 * weak a role get 403, and allowed calls never fail on authorisation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectRole } from '@ambient/contracts';
import { createApp } from './app.ts';
import type { ApiDeps } from './deps.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from './test-support/embedded-deps.ts';

type Caller = 'admin' | 'edit' | 'view' | 'none' | 'foreignKey' | 'viewKey';

interface RouteCase {
  method: string;
  path: (context: { session: string; keyId: string }) => string;
  body?: unknown;
  required: ProjectRole;
}

const ROUTES: RouteCase[] = [
  { method: 'GET', path: () => '/api/projects/alpha', required: 'view' },
  { method: 'PUT', path: () => '/api/projects/alpha', body: { displayName: 'Alpha' }, required: 'admin' },
  { method: 'GET', path: () => '/api/projects/alpha/access', required: 'view' },
  { method: 'GET', path: () => '/api/projects/alpha/permissions', required: 'view' },
  { method: 'POST', path: () => '/api/projects/alpha/permissions', body: { subjectType: 'group', subjectName: 'readers', role: 'view' }, required: 'admin' },
  { method: 'DELETE', path: () => '/api/projects/alpha/permissions/group/nobody', required: 'admin' },
  { method: 'GET', path: () => '/api/projects/alpha/keys', required: 'admin' },
  { method: 'POST', path: () => '/api/projects/alpha/keys', body: { name: 'ci' }, required: 'admin' },
  { method: 'DELETE', path: ({ keyId }) => `/api/projects/alpha/keys/${keyId}-missing`, required: 'admin' },
  { method: 'GET', path: () => '/api/projects/alpha/agentic-sessions', required: 'view' },
  { method: 'POST', path: () => '/api/projects/alpha/agentic-sessions', body: { prompt: 'hi' }, required: 'edit' },
  { method: 'GET', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}`, required: 'view' },
  { method: 'POST', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}/agui/run`, body: { message: 'more' }, required: 'edit' },
  { method: 'POST', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}/agui/interrupt`, required: 'edit' },
  { method: 'POST', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}/start`, required: 'edit' },
  { method: 'POST', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}/stop`, required: 'edit' },
  { method: 'GET', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}/agui/events`, required: 'view' },
  { method: 'PUT', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}`, body: { displayName: 'x' }, required: 'edit' },
  { method: 'PATCH', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}`, body: { annotations: { a: 'b' } }, required: 'edit' },
  { method: 'PUT', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}/displayname`, body: { displayName: 'y' }, required: 'edit' },
  { method: 'POST', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}/clone`, body: { targetProject: 'alpha' }, required: 'edit' },
  { method: 'GET', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}/workspace`, required: 'view' },
  { method: 'PUT', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}/workspace/notes.txt`, body: 'text', required: 'edit' },
  { method: 'GET', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}/workspace/notes.txt`, required: 'view' },
  { method: 'DELETE', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}/workspace/notes.txt`, required: 'edit' },
  { method: 'GET', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}/agui/history`, required: 'view' },
  { method: 'GET', path: ({ session }) => `/api/projects/alpha/agentic-sessions/${session}/export?format=markdown`, required: 'view' },
  { method: 'GET', path: () => '/api/projects/alpha/events', required: 'view' },
  { method: 'GET', path: () => '/api/projects/alpha/settings', required: 'view' },
  { method: 'PUT', path: () => '/api/projects/alpha/settings', body: { groupAccess: [] }, required: 'admin' },
  { method: 'GET', path: () => '/api/projects/alpha/runner-secrets', required: 'admin' },
  { method: 'PUT', path: () => '/api/projects/alpha/runner-secrets', body: { data: { ANTHROPIC_API_KEY: 'k' } }, required: 'admin' },
  { method: 'GET', path: () => '/api/projects/alpha/integration-secrets', required: 'admin' },
  { method: 'PUT', path: () => '/api/projects/alpha/integration-secrets', body: { data: { GITHUB_TOKEN: 'k' } }, required: 'admin' },
  { method: 'DELETE', path: () => '/api/projects/alpha/agentic-sessions/session-does-not-exist', required: 'edit' },
  { method: 'DELETE', path: () => '/api/projects/alpha', required: 'admin' },
];

const RANK: Record<ProjectRole, number> = { view: 1, edit: 2, admin: 3 };
const CALLER_ROLE: Record<Caller, ProjectRole | undefined> = {
  admin: 'admin',
  edit: 'edit',
  view: 'view',
  none: undefined,
  foreignKey: undefined,
  viewKey: 'view',
};

describe('authorisation on every project route', () => {
  let deps: ApiDeps;
  let close: () => void;
  let app: ReturnType<typeof createApp>;
  const tokens = {} as Record<Caller, string>;
  let session = '';
  let keyId = '';
  let workspaceRoot = '';

  const call = async (method: string, path: string, token: string, body?: unknown): Promise<Response> => {
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (response.headers.get('content-type')?.includes('text/event-stream')) await response.body?.cancel();
    return response;
  };

  beforeAll(async () => {
    workspaceRoot = mkdtempSync(join(tmpdir(), 'authz-workspaces-'));
    ({ deps, close } = createTestDeps({}, { workspaceRoot }));
    app = createApp(deps);
    for (const name of ['owner', 'editor', 'viewer', 'stranger']) {
      await deps.identities.createUser({ name, groups: name === 'viewer' ? ['readers'] : [] });
    }
    const userToken = async (name: string) => (await deps.identities.issueToken({ subject: { kind: 'user', userName: name }, name: 'test' })).token;
    tokens.admin = await userToken('owner');
    tokens.edit = await userToken('editor');
    tokens.view = await userToken('viewer');
    tokens.none = await userToken('stranger');

    expect((await call('POST', '/api/projects', tokens.admin, { name: 'alpha' })).status).toBe(201);
    expect((await call('POST', '/api/projects', tokens.none, { name: 'beta' })).status).toBe(201);
    await call('POST', '/api/projects/alpha/permissions', tokens.admin, { subjectType: 'user', subjectName: 'editor', role: 'edit' });
    // The viewer's role comes through a group grant.
    await call('POST', '/api/projects/alpha/permissions', tokens.admin, { subjectType: 'group', subjectName: 'readers', role: 'view' });

    const foreign = await call('POST', '/api/projects/beta/keys', tokens.none, { name: 'beta-key', role: 'admin' });
    tokens.foreignKey = ((await foreign.json()) as { key: string }).key;
    const viewKey = await call('POST', '/api/projects/alpha/keys', tokens.admin, { name: 'alpha-view', role: 'view' });
    const viewKeyBody = (await viewKey.json()) as { key: string; id: string };
    tokens.viewKey = viewKeyBody.key;
    keyId = viewKeyBody.id;
    const created = await call('POST', '/api/projects/alpha/agentic-sessions', TEST_ADMIN_TOKEN, { prompt: 'hello' });
    session = ((await created.json()) as { name: string }).name;
  });

  afterAll(() => {
    close();
    rmSync(workspaceRoot, { recursive: true, force: true });
  });

  const callers: Caller[] = ['view', 'viewKey', 'edit', 'none', 'foreignKey', 'admin'];
  for (const route of ROUTES) {
    it(`${route.method} ${route.path({ session: ':session', keyId: ':key' })} needs ${route.required}`, async () => {
      for (const caller of callers) {
        const response = await call(route.method, route.path({ session, keyId }), tokens[caller], route.body);
        const role = CALLER_ROLE[caller];
        const label = `${caller} → ${response.status}`;
        if (role === undefined) {
          expect(response.status, label).toBe(404);
          const body = (await response.json()) as { message: string };
          expect(body.message, label).toContain('project "alpha" not found');
        } else if (RANK[role] < RANK[route.required]) {
          expect(response.status, label).toBe(403);
        } else {
          expect([401, 403].includes(response.status), label).toBe(false);
          expect(response.status, label).toBeLessThan(500);
          if (response.status === 404) {
            expect(((await response.json()) as { message: string }).message, label).not.toContain('project "alpha" not found');
          }
        }
      }
    });
  }

  it('lists only the projects a caller belongs to', async () => {
    const names = async (token: string) =>
      ((await (await call('GET', '/api/projects', token)).json()) as { items: { name: string }[] }).items.map((item) => item.name);
    expect(await names(tokens.none)).toEqual(['beta']);
    expect(await names(tokens.foreignKey)).toEqual(['beta']);
    expect(await names(TEST_ADMIN_TOKEN)).toEqual(expect.arrayContaining(['beta']));
  });

  it('keeps access keys from creating projects, and revokes them immediately', async () => {
    expect((await call('POST', '/api/projects', tokens.foreignKey, { name: 'gamma' })).status).toBe(403);
    const created = await call('POST', '/api/projects/beta/keys', tokens.none, { name: 'short-lived' });
    const { key, id } = (await created.json()) as { key: string; id: string };
    expect((await call('GET', '/api/projects/beta', key)).status).toBe(200);
    expect((await call('DELETE', `/api/projects/beta/keys/${id}`, tokens.none)).status).toBe(204);
    expect((await call('GET', '/api/projects/beta', key)).status).toBe(401);
  });
});
