/**
 * Cluster mode end to end (the platform: support/cluster-platform.ts), with real parts: a kube-apiserver 1.20 (+ controller-manager, scheduler)
 * with the platform's CRDs and RBAC, a real PostgreSQL, the process kubelet running the runner Job's
 * pod as a local process (the repository's bundled runner, through `AMBIENT_RUNNER_COMMAND` and a
 * `/app` path mapping), the real Claude Code CLI against the project's fake model, and the cluster
 * API server and operator in-process on their own ServiceAccounts (ambient-api, ambient-operator).
 *
 * alice (no cluster role at all) creates a project over HTTP — the server creates the Namespace and
 * binds her admin — then a non-interactive session that writes a file; its events arrive over SSE to
 * RUN_FINISHED and the session ends Completed. bob, with no role, sees nothing of it (404).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchV1Api, CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '@ambient/kube-testing';
import { kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import { claimNameOf } from '@ambient/runtime-kube';
import { PLATFORM_START_TIMEOUT_MS, startClusterPlatform } from './support/cluster-platform.ts';
import type { ClusterPlatform } from './support/cluster-platform.ts';
import { collectEvents, isRunEnd } from './support/session-helpers.ts';

describe.skipIf(kubeTestsSkipped)('cluster mode end to end', () => {
  let platform: ClusterPlatform;
  const call = (token: string, path: string, init: RequestInit = {}): Promise<Response> => platform.call(token, path, init);

  beforeAll(async () => {
    platform = await startClusterPlatform({ name: 'cluster-e2e' });
  }, PLATFORM_START_TIMEOUT_MS);

  afterAll(async () => {
    await platform?.stop();
  });

  it('alice creates a project and runs a session through a Job to Completed; bob sees none of it', async () => {
    const { cluster, kubelet } = platform;
    const alice = cluster.userToken('alice');
    const bob = cluster.userToken('bob');
    const project = 'e2e-team';

    // Project creation: the server creates the Namespace and binds alice as admin.
    const created = await call(alice, '/api/projects', { method: 'POST', body: JSON.stringify({ name: project, displayName: 'E2E team' }) });
    expect(created.status, await created.clone().text()).toBe(201);
    const namespace = await cluster.kubeConfig.makeApiClient(CoreV1Api).readNamespace({ name: project });
    expect(namespace.metadata?.labels?.['ambient-code.io/managed']).toBe('true');
    const bindings = await cluster.kubeConfig.makeApiClient(RbacAuthorizationV1Api).listNamespacedRoleBinding({ namespace: project });
    expect(bindings.items.map((binding) => [binding.roleRef.name, binding.subjects?.[0]?.name])).toContainEqual(['ambient-project-admin', 'alice']);
    expect((await call(alice, `/api/projects/${project}/access`)).status).toBe(200);
    const listed = (await (await call(alice, '/api/projects')).json()) as { items: { name: string }[] };
    expect(listed.items.map((item) => item.name)).toContain(project);
    expect((await call(alice, '/api/cluster-info').then((response) => response.json()))).toMatchObject({ mode: 'cluster' });

    // bob has no role: the project does not exist for him.
    expect((await call(bob, `/api/projects/${project}`)).status).toBe(404);
    const bobList = (await (await call(bob, '/api/projects')).json()) as { items: { name: string }[] };
    expect(bobList.items.map((item) => item.name)).not.toContain(project);
    expect((await call('not-a-valid-token', '/api/projects')).status).toBe(401);

    const sessionResponse = await call(alice, `/api/projects/${project}/agentic-sessions`, {
      method: 'POST',
      body: JSON.stringify({ prompt: 'WRITE_FILE hello.txt hi', interactive: false }),
    });
    expect(sessionResponse.status, await sessionResponse.clone().text()).toBe(201);
    const { name } = (await sessionResponse.json()) as { name: string };
    const base = `/api/projects/${project}/agentic-sessions/${name}`;
    expect((await call(bob, base)).status).toBe(404);
    expect((await call(bob, `${base}/agui/events`)).status).toBe(404);
    expect((await call(bob, `/api/projects/${project}/agentic-sessions`)).status).toBe(404);

    // The operator creates the run's Job; the process kubelet runs its pod.
    const batch = cluster.kubeConfig.makeApiClient(BatchV1Api);
    await waitUntil('runner Job created', async () => {
      const jobs = await batch.listNamespacedJob({ namespace: project });
      return jobs.items.some((job) => job.metadata?.name === `${name}-run-1`);
    }, { timeoutMs: 30_000, intervalMs: 200 });

    // Events over SSE, from PostgreSQL, to the end of the run.
    const events = await collectEvents(platform, alice, `${base}/agui/events?compact=false`, isRunEnd);
    const types = events.map((event) => event.type);
    expect(types).toContain('RUN_STARTED');
    expect(types.at(-1), JSON.stringify(events.at(-1))).toBe('RUN_FINISHED');
    expect(events.filter((event) => event.type === 'TOOL_CALL_START').map((event) => event.toolCallName)).toEqual(['Write']);
    expect(events.map((event) => event.seq)).toEqual(events.map((_event, index) => index + 1));

    let session: { status?: { phase?: string; result?: { isError?: boolean } } } = {};
    await waitUntil('session Completed', async () => {
      session = (await (await call(alice, base)).json()) as typeof session;
      return session.status?.phase === 'Completed';
    }, { timeoutMs: 30_000, intervalMs: 200 });
    expect(session.status?.result?.isError).toBe(false);

    // The file is on the session's workspace volume (the PVC's directory on the process kubelet).
    const written = join(kubelet.claimDirectory(project, claimNameOf(name)), 'artifacts', 'hello.txt');
    expect(existsSync(written)).toBe(true);
    expect(readFileSync(written, 'utf8')).toContain('hi');

    // Workspace files are served in cluster mode by an on-demand workspace viewer (docs/adr/0010).
    expect((await call(alice, `${base}/workspace`)).status).toBe(200);

    // groupAccess in the project settings becomes a RoleBinding, made by the operator.
    const saved = await call(alice, `/api/projects/${project}/settings`, {
      method: 'PUT',
      body: JSON.stringify({ groupAccess: [{ groupName: 'reviewers', role: 'view' }] }),
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    await waitUntil('group RoleBinding created', async () => {
      const groupBindings = await cluster.kubeConfig.makeApiClient(RbacAuthorizationV1Api).listNamespacedRoleBinding({ namespace: project });
      return groupBindings.items.some((binding) => binding.roleRef.name === 'ambient-project-view' && binding.subjects?.[0]?.kind === 'Group' && binding.subjects[0].name === 'reviewers');
    }, { timeoutMs: 30_000, intervalMs: 200 });
  }, 120_000);
});
