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
 *
 * The setup is a copy of cluster-e2e.test.ts's (to be merged into the shared fixture).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeModel } from '@ambient/fake-model';
import type { FakeModel } from '@ambient/fake-model';
import { startProcessKubelet, startTestCluster, waitUntil } from '@ambient/kube-testing';
import type { ProcessKubelet, TestCluster } from '@ambient/kube-testing';
import { kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import { claimNameOf, WORKSPACE_VIEWER_APP_LABEL, workspaceViewerNameOf } from '@ambient/runtime-kube';
import { installCrds, installRbac } from '@ambient/runtime-kube/test-support/cluster-fixtures';
import { startTestPostgres } from '@ambient/runtime-postgres/test-postgres';
import type { TestPostgres } from '@ambient/runtime-postgres/test-postgres';
import { loadOperatorConfig } from '../src/cluster-config.ts';
import { startClusterApiServer } from '../src/main-cluster.ts';
import type { RunningClusterApi } from '../src/main-cluster.ts';
import { startOperator } from '../src/main-operator.ts';
import type { RunningOperator } from '../src/main-operator.ts';
import { REPO_ROOT, runnerCommand } from '../src/runner-command.ts';

/** Where the repository is "in the runner image"; the process kubelet maps it to the checkout. */
const IMAGE_APP_DIRECTORY = '/app';
const PLATFORM_NAMESPACE = 'ambient-code';
const RUNNER_TOKEN_KEY = 'cluster-workspace-runner-token-key-0123456789';

async function serviceAccountToken(cluster: TestCluster, name: string): Promise<string> {
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  let token = '';
  await waitUntil(`token of ServiceAccount ${name}`, async () => {
    const account = await core.readNamespacedServiceAccount({ name, namespace: PLATFORM_NAMESPACE });
    const secretName = account.secrets?.[0]?.name;
    if (!secretName) return false;
    const secret = await core.readNamespacedSecret({ name: secretName, namespace: PLATFORM_NAMESPACE });
    token = Buffer.from(secret.data?.['token'] ?? '', 'base64').toString('utf8');
    return token !== '';
  }, { timeoutMs: 30_000, intervalMs: 200 });
  return token;
}

interface Listing {
  path: string;
  items: { name: string; path: string; type: string }[];
}

describe.skipIf(kubeTestsSkipped)('cluster mode: workspace files through the runner channel', () => {
  let cluster: TestCluster;
  let postgres: TestPostgres;
  let model: FakeModel;
  let kubelet: ProcessKubelet;
  let api: RunningClusterApi;
  let secondApi: RunningClusterApi;
  let operator: RunningOperator;
  let workDirectory: string;

  const call = (server: RunningClusterApi, token: string, path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });

  beforeAll(async () => {
    workDirectory = mkdtempSync(join(tmpdir(), 'cluster-workspace-'));
    [cluster, postgres, model] = await Promise.all([
      startTestCluster({ users: [{ name: 'alice' }, { name: 'bob' }] }),
      startTestPostgres(),
      startFakeModel(),
    ]);
    const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: PLATFORM_NAMESPACE } } });
    await core.createNamespacedServiceAccount({ namespace: PLATFORM_NAMESPACE, body: { metadata: { name: 'ambient-api' } } });
    await Promise.all([installCrds(cluster.kubeConfig), installRbac(cluster.kubeConfig)]);
    const [apiToken, operatorToken] = await Promise.all([
      serviceAccountToken(cluster, 'ambient-api'),
      serviceAccountToken(cluster, 'ambient-operator'),
    ]);

    const localCommand = await runnerCommand();
    const imageCommand = localCommand.map((part) =>
      part.startsWith(REPO_ROOT) ? `${IMAGE_APP_DIRECTORY}/${part.slice(REPO_ROOT.length)}` : part,
    );
    kubelet = await startProcessKubelet({
      kubeConfig: cluster.kubeConfig,
      nodeName: 'cluster-workspace-node',
      workDir: join(workDirectory, 'kubelet'),
      pathMappings: { [IMAGE_APP_DIRECTORY]: REPO_ROOT.replace(/\/$/, '') },
      onError: () => undefined,
    });

    const apiConfig = { port: 0, host: '127.0.0.1', logLevel: 'warn', runnerTokenSecret: RUNNER_TOKEN_KEY, databaseUrl: postgres.connectionString, anyoneCreatesProjects: true };
    [api, secondApi] = await Promise.all([
      startClusterApiServer(apiConfig, { kubeConfig: cluster.kubeConfigFor(apiToken) }),
      startClusterApiServer(apiConfig, { kubeConfig: cluster.kubeConfigFor(apiToken) }),
    ]);
    const operatorConfig = loadOperatorConfig({
      LOG_LEVEL: 'warn',
      AMBIENT_RUNNER_TOKEN_KEY: RUNNER_TOKEN_KEY,
      DATABASE_URL: postgres.connectionString,
      // Runners and viewers connect to replica 1 only; requests made on replica 2 must cross over.
      AMBIENT_SERVER_URL: api.url,
      ANTHROPIC_API_KEY: 'test-key-not-real',
      ANTHROPIC_BASE_URL: model.url,
      AMBIENT_RUNNER_IMAGE: 'ambient-runner:e2e',
      AMBIENT_RUNNER_COMMAND: JSON.stringify(imageCommand),
      AMBIENT_WORKSPACE_SIZE: '1Gi',
      POD_NAMESPACE: PLATFORM_NAMESPACE,
      POD_NAME: 'operator-workspace',
    });
    operator = await startOperator(operatorConfig, {
      kubeConfig: cluster.kubeConfigFor(operatorToken),
      leaseDurationMs: 4_000,
      renewDeadlineMs: 3_000,
      retryPeriodMs: 500,
    });
    await waitUntil('operator leading', async () => operator.isLeading(), { timeoutMs: 15_000, intervalMs: 100 });
  }, 30 * 60_000);

  afterAll(async () => {
    await operator?.close();
    await secondApi?.close();
    await api?.close();
    await kubelet?.stop();
    await cluster?.stop();
    await postgres?.stop();
    await model?.close();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  it('lists, reads, writes and deletes a completed session\'s files through an on-demand viewer, across replicas', async () => {
    const alice = cluster.userToken('alice');
    const bob = cluster.userToken('bob');
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
    const claimDirectory = kubelet.claimDirectory(project, claimNameOf(name));

    // No runner is left: the first request starts the workspace viewer and waits for it (< 20 s).
    const root = await call(secondApi, alice, `${base}/workspace`);
    expect(root.status, await root.clone().text()).toBe(200);
    expect(((await root.json()) as Listing).items).toContainEqual(expect.objectContaining({ name: 'artifacts', type: 'directory' }));
    const batch = cluster.kubeConfig.makeApiClient(BatchV1Api);
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
