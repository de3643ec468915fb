/**
 * The authorization matrix of cluster mode, over every project route of the API route registry, on
 * the real test cluster (Kubernetes RBAC decides, ADR 0009):
 * - carol, granted the view role through the permissions API, reads everything and changes nothing
 *   (403 on every route that needs edit or admin);
 * - bob, with no role, gets 404 everywhere: the project does not exist for him;
 * - alice, the project's admin, is refused nothing — the control that makes the 403s mean "role",
 *   not "broken route" — down to deleting the session and the project.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRoute } from '@ambient/contracts';
import { waitUntil } from '@ambient/kube-testing';
import { kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import { PLATFORM_START_TIMEOUT_MS, startClusterPlatform } from './support/cluster-platform.ts';
import type { ClusterPlatform } from './support/cluster-platform.ts';
import { callRoute, describeRoute, PROJECT_ROUTES } from './support/route-calls.ts';
import type { RouteAnswer, RouteTarget } from './support/route-calls.ts';
import { collectEvents, createProject, createSession, getSession, inPhase, isRunEnd, waitForSession } from './support/session-helpers.ts';

const PROJECT = 'authz';
const WORKSPACE_READS = new Set(['listWorkspaceRoot', 'readWorkspacePath']);
/** Routes that remove what the others need (the session, the project): the admin calls them last. */
const ADMIN_LAST = ['deleteSession', 'deleteProject'];

const isSuccess = (status: number): boolean => status >= 200 && status < 300;
/** Workspace files are served in cluster mode only where the deployment supports it: 503 otherwise. */
const isUnavailable = (answer: RouteAnswer): boolean => answer.status === 503 && answer.detail.includes('unavailable');

describe.skipIf(kubeTestsSkipped)('cluster mode: the authorization matrix of the project routes', () => {
  let platform: ClusterPlatform;
  let target: RouteTarget;
  const token = (user: string): string => platform.cluster.userToken(user);

  /** Calls each route as `user`; returns the routes whose answer `acceptable` rejects, with why. */
  async function mismatches(user: string, routes: readonly ApiRoute[], acceptable: (route: ApiRoute, answer: RouteAnswer) => boolean): Promise<string[]> {
    const found: string[] = [];
    for (const route of routes) {
      const answer = await callRoute(platform.api.url, token(user), route, target);
      if (!acceptable(route, answer)) found.push(`${describeRoute(route)} → ${answer.status} ${answer.detail}`);
    }
    return found;
  }

  beforeAll(async () => {
    platform = await startClusterPlatform({ name: 'cluster-authorization', users: [{ name: 'alice' }, { name: 'bob' }, { name: 'carol' }] });
    const alice = token('alice');
    await createProject(platform, alice, PROJECT);
    const granted = await platform.call(alice, `/api/projects/${PROJECT}/permissions`, {
      method: 'POST',
      body: JSON.stringify({ subjectType: 'user', subjectName: 'carol', role: 'view' }),
    });
    expect(granted.status, await granted.clone().text()).toBeLessThan(300);
    // RBAC caches: the new binding is effective shortly after it is made.
    await waitUntil('carol sees the project as a viewer', async () => {
      const access = await platform.call(token('carol'), `/api/projects/${PROJECT}/access`);
      return access.status === 200 && ((await access.json()) as { userRole?: string }).userRole === 'view';
    }, { timeoutMs: 30_000, intervalMs: 200 });

    const session = await createSession(platform, alice, PROJECT, { initialPrompt: 'WRITE_FILE notes.txt matrix' });
    const firstRun = await collectEvents(platform, alice, `/api/projects/${PROJECT}/agentic-sessions/${session}/agui/events`, isRunEnd);
    expect(firstRun.at(-1)?.type).toBe('RUN_FINISHED');
    await waitForSession(platform, alice, PROJECT, session, 'Running', inPhase('Running'));
    target = { project: PROJECT, session, grantee: 'dave', workspaceFile: 'artifacts/notes.txt' };
  }, PLATFORM_START_TIMEOUT_MS);

  afterAll(async () => {
    await platform?.stop();
  });

  it('enumerates the registry: every kind of project route is in the matrix', () => {
    const operations = PROJECT_ROUTES.map((route) => route.operationId);
    expect(operations).toEqual(expect.arrayContaining(['createSession', 'stopSession', 'deleteSession', 'updateProjectSettings', 'grantPermission', 'updateRunnerSecrets']));
    expect(PROJECT_ROUTES.every((route) => route.minimumRole !== undefined)).toBe(true);
  });

  it('a viewer reads every view route and is refused (403) every edit and admin route', async () => {
    const found = await mismatches('carol', PROJECT_ROUTES, (route, answer) => {
      if (route.minimumRole !== 'view') return answer.status === 403;
      // Cloning writes a session into the target project, where the viewer has no edit role.
      if (route.operationId === 'cloneSession') return answer.status === 403;
      if (route.transport === 'websocket') return answer.status === 101;
      if (WORKSPACE_READS.has(route.operationId)) return isSuccess(answer.status) || isUnavailable(answer);
      return isSuccess(answer.status);
    });
    expect(found).toEqual([]);

    // Nothing the viewer tried changed anything.
    const alice = token('alice');
    const session = await getSession(platform, alice, PROJECT, target.session);
    expect(session.status?.phase).toBe('Running');
    expect(session.spec.displayName).toBeUndefined();
    expect(session.metadata.annotations?.['ambient-code.io/desired-phase']).toBeUndefined();
    const permissions = (await (await platform.call(alice, `/api/projects/${PROJECT}/permissions`)).json()) as { items: { subjectName: string }[] };
    expect(permissions.items.map((permission) => permission.subjectName)).not.toContain(target.grantee);
    const sessions = (await (await platform.call(alice, `/api/projects/${PROJECT}/agentic-sessions`)).json()) as { items: unknown[] };
    expect(sessions.items).toHaveLength(1);
  }, 120_000);

  it('an outsider gets 404 on every project route: the project’s existence is hidden', async () => {
    const found = await mismatches('bob', PROJECT_ROUTES, (_route, answer) => answer.status === 404);
    expect(found).toEqual([]);
  }, 120_000);

  it('the admin is refused none of them, down to deleting the session and the project', async () => {
    const ordered = [
      ...PROJECT_ROUTES.filter((route) => !ADMIN_LAST.includes(route.operationId)),
      ...ADMIN_LAST.map((operationId) => PROJECT_ROUTES.find((route) => route.operationId === operationId)!),
    ];
    const found = await mismatches('alice', ordered, (route, answer) => {
      if (route.transport === 'websocket') return answer.status === 101;
      // There are no access keys in cluster mode: revoking one that does not exist is a plain 404.
      if (route.operationId === 'revokeAccessKey') return answer.status === 404 && answer.detail.includes('access key');
      // 409: the session's state refuses the change (e.g. its spec while it runs), not the caller.
      return isSuccess(answer.status) || answer.status === 409 || isUnavailable(answer);
    });
    expect(found).toEqual([]);
    expect((await platform.call(token('alice'), `/api/projects/${PROJECT}`)).status).toBe(404);
  }, 180_000);
});
