/**
 * Workspace files in cluster mode end to end (docs/adr/0010), with real parts: a kube-apiserver 1.20
 * (+ controller-manager, scheduler) with the platform's CRDs and RBAC, a real PostgreSQL, the process
 * kubelet running pods as local processes (the runner bundle through `AMBIENT_RUNNER_COMMAND`), the
 * real Claude Code CLI against the fake model, the operator, and TWO API server replicas.
 *
 * A session writes artifacts/hello.txt and completes. Its workspace is then listed and read through
 * replica 2 while the on-demand workspace viewer (started by the operator, connected to replica 1,
 * where the operator's AMBIENT_SERVER_URL points) serves it: the requests cross replicas through the
 * PostgreSQL relay. Writes, deletes and confinement work the same; a new run evicts the viewer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '@ambient/kube-testing';
import { kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import { claimNameOf, WORKSPACE_VIEWER_APP_LABEL, workspaceViewerNameOf } from '@ambient/runtime-kube';
import type { RunningClusterApi } from '../src/main-cluster.ts';
import { PLATFORM_START_TIMEOUT_MS, startClusterPlatform } from './support/cluster-platform.ts';
import type { ClusterPlatform } from './support/cluster-platform.ts';

interface Listing {
  path: string;
  items: { name: string; path: string; type: string }[];
}

describe.skipIf(kubeTestsSkipped)('cluster mode: workspace files through the runner channel', () => {
  let platform: ClusterPlatform;
  let api: RunningClusterApi;
  let secondApi: RunningClusterApi;

  const call = (server: RunningClusterApi, token: string, path: string, init: RequestInit = {}): Promise<Response> =>
    platform.call(token, path, init, server);

  beforeAll(async () => {
    platform = await startClusterPlatform({ name: 'cluster-workspace' });
    api = platform.api;
    // Runners and viewers connect to replica 1 only; requests made on replica 2 must cross over.
    secondApi = await platform.startApiReplica();
  }, PLATFORM_START_TIMEOUT_MS);

  afterAll(async () => {
    await platform?.stop();
  });

  it('lists, reads, writes and deletes a completed session\'s files through an on-demand viewer, across replicas', async () => {
    const alice = platform.cluster.userToken('alice');
    const bob = platform.cluster.userToken('bob');
    const project = 'workspace-team';
    const created = await call(api, alice, '/api/projects', { method: 'POST', body: JSON.stringify({ name: project }) });
    expect(created.status, await created.clone().text()).toBe(201);
    const sessionResponse = await call(api, alice, `/api/projects/${project}/agentic-sessions`, {
      method: 'POST',
      body: JSON.stringify({ prompt: 'WRITE_FILE hello.txt hi', interactive: false }),
    });
    expect(sessionResponse.status, await sessionResponse.clone().text()).toBe(201);
    const { name } = (await sessionResponse.json()) as { name: string };
    const base = `/api/projects/${project}/agentic-sessions/${name}`;
    await waitUntil('session Completed', async () => {
      const session = (await (await call(api, alice, base)).json()) as { status?: { phase?: string } };
      return session.status?.phase === 'Completed';
    }, { timeoutMs: 120_000, intervalMs: 250 });
    const claimDirectory = platform.kubelet.claimDirectory(project, claimNameOf(name));

    // No runner is left: the first request starts the workspace viewer and waits for it (< 20 s).
    const root = await call(secondApi, alice, `${base}/workspace`);
    expect(root.status, await root.clone().text()).toBe(200);
    expect(((await root.json()) as Listing).items).toContainEqual(expect.objectContaining({ name: 'artifacts', type: 'directory' }));
    const batch = platform.cluster.kubeConfig.makeApiClient(BatchV1Api);
    const viewerJob = await batch.readNamespacedJob({ namespace: project, name: workspaceViewerNameOf(name) });
    expect(viewerJob.metadata?.labels?.['app']).toBe(WORKSPACE_VIEWER_APP_LABEL);
    expect(viewerJob.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'AgenticSession', name });

    const artifacts = (await (await call(secondApi, alice, `${base}/workspace/artifacts`)).json()) as Listing;
    expect(artifacts.items).toContainEqual(expect.objectContaining({ name: 'hello.txt', path: 'artifacts/hello.txt', type: 'file' }));
    const hello = await call(secondApi, alice, `${base}/workspace/artifacts/hello.txt`);
    expect(hello.status).toBe(200);
    expect(hello.headers.get('content-type')).toBe('application/octet-stream');
    expect(await hello.text()).toContain('hi');

    // Written through replica 2, read back through replica 1 (which holds the viewer), on the volume.
    const note = '# from the file browser\n';
    const written = await call(secondApi, alice, `${base}/workspace/artifacts/notes/from-ui.md`, { method: 'PUT', body: note, headers: { 'content-type': 'application/octet-stream' } });
    expect(written.status, await written.clone().text()).toBe(201);
    expect(await written.json()).toEqual({ path: 'artifacts/notes/from-ui.md', size: Buffer.byteLength(note) });
    expect(await (await call(api, alice, `${base}/workspace/artifacts/notes/from-ui.md`)).text()).toBe(note);
    expect(readFileSync(join(claimDirectory, 'artifacts', 'notes', 'from-ui.md'), 'utf8')).toBe(note);
    expect((await call(secondApi, alice, `${base}/workspace/artifacts/notes`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(api, alice, `${base}/workspace/artifacts/notes/from-ui.md`)).status).toBe(404);
    expect(existsSync(join(claimDirectory, 'artifacts', 'notes'))).toBe(false);

    // The same confinement as in embedded mode, checked again by the viewer.
    expect((await call(secondApi, alice, `${base}/workspace/.ambient`)).status).toBe(404);
    expect((await call(secondApi, alice, `${base}/workspace/..%2F..%2Fetc%2Fpasswd`)).status).toBe(403);
    expect((await call(secondApi, bob, `${base}/workspace`)).status).toBe(404);

    // A new run takes the volume: the viewer is evicted, and the run serves the files meanwhile.
    const started = await call(api, alice, `${base}/start`, { method: 'POST' });
    expect(started.status, await started.clone().text()).toBe(202);
    await waitUntil('the viewer evicted by run 2', async () => {
      const jobs = await batch.listNamespacedJob({ namespace: project });
      const names = jobs.items.map((job) => job.metadata?.name);
      return names.includes(`${name}-run-2`) && !names.includes(workspaceViewerNameOf(name));
    }, { timeoutMs: 60_000, intervalMs: 200 });
    await waitUntil('run 2 finished', async () => {
      const session = (await (await call(api, alice, base)).json()) as { status?: { phase?: string; runCount?: number } };
      return session.status?.runCount === 2 && ['Completed', 'Failed', 'Stopped'].includes(session.status.phase ?? '');
    }, { timeoutMs: 120_000, intervalMs: 250 });
    const again = await call(secondApi, alice, `${base}/workspace/artifacts/hello.txt`);
    expect(again.status, await again.clone().text()).toBe(200);
    expect(await again.text()).toContain('hi');
  }, 300_000);
});
