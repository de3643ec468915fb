/**
 * Cluster mode end to end, with real parts: a kube-apiserver 1.20 (+ controller-manager, scheduler)
 * with the platform's CRDs and RBAC, a real PostgreSQL, the process kubelet running the runner Job's
 * pod as a local process (the repository's bundled runner, through `AMBIENT_RUNNER_COMMAND` and a
 * `/app` path mapping), the real Claude Code CLI against the project's fake model, and the cluster
 * API server and operator in-process on their own ServiceAccounts (ambient-api, ambient-operator).
 *
 * alice (no cluster role at all) creates a project over HTTP — the server creates the Namespace and
 * binds her admin — then a non-interactive session that writes a file; its events arrive over SSE to
 * RUN_FINISHED and the session ends Completed. bob, with no role, sees nothing of it (404).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchV1Api, CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeModel } from '@ambient/fake-model';
import type { FakeModel } from '@ambient/fake-model';
import { startProcessKubelet, startTestCluster, waitUntil } from '@ambient/kube-testing';
import type { ProcessKubelet, TestCluster } from '@ambient/kube-testing';
import { kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import { claimNameOf } from '@ambient/runtime-kube';
import { installCrds, installRbac } from '@ambient/runtime-kube/test-support/cluster-fixtures';
import { startTestPostgres } from '@ambient/runtime-postgres/test-postgres';
import type { TestPostgres } from '@ambient/runtime-postgres/test-postgres';
import { readSse } from '@ambient/testing/sse-client';
import { loadOperatorConfig } from '../src/cluster-config.ts';
import { startClusterApiServer } from '../src/main-cluster.ts';
import type { RunningClusterApi } from '../src/main-cluster.ts';
import { startOperator } from '../src/main-operator.ts';
import type { RunningOperator } from '../src/main-operator.ts';
import { REPO_ROOT, runnerCommand } from '../src/runner-command.ts';

interface StreamedEvent {
  seq: number;
  type: string;
  [key: string]: unknown;
}

/** Where the repository is "in the runner image"; the process kubelet maps it to the checkout. */
const IMAGE_APP_DIRECTORY = '/app';
const PLATFORM_NAMESPACE = 'ambient-code';
const RUNNER_TOKEN_KEY = 'cluster-e2e-runner-token-key-0123456789';

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

describe.skipIf(kubeTestsSkipped)('cluster mode end to end', () => {
  let cluster: TestCluster;
  let postgres: TestPostgres;
  let model: FakeModel;
  let kubelet: ProcessKubelet;
  let api: RunningClusterApi;
  let operator: RunningOperator;
  let workDirectory: string;

  const call = (token: string, path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${api.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });

  beforeAll(async () => {
    workDirectory = mkdtempSync(join(tmpdir(), 'cluster-e2e-'));
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

    // The runner as its image would run it: the bundle, at its path under /app.
    const localCommand = await runnerCommand();
    const imageCommand = localCommand.map((part) =>
      part.startsWith(REPO_ROOT) ? `${IMAGE_APP_DIRECTORY}/${part.slice(REPO_ROOT.length)}` : part,
    );
    kubelet = await startProcessKubelet({
      kubeConfig: cluster.kubeConfig,
      nodeName: 'cluster-e2e-node',
      workDir: join(workDirectory, 'kubelet'),
      pathMappings: { [IMAGE_APP_DIRECTORY]: REPO_ROOT.replace(/\/$/, '') },
      onError: () => undefined,
    });

    api = await startClusterApiServer(
      { port: 0, host: '127.0.0.1', logLevel: 'warn', runnerTokenSecret: RUNNER_TOKEN_KEY, databaseUrl: postgres.connectionString, anyoneCreatesProjects: true },
      { kubeConfig: cluster.kubeConfigFor(apiToken) },
    );
    const operatorConfig = loadOperatorConfig({
      LOG_LEVEL: 'warn',
      AMBIENT_RUNNER_TOKEN_KEY: RUNNER_TOKEN_KEY,
      DATABASE_URL: postgres.connectionString,
      AMBIENT_SERVER_URL: api.url,
      ANTHROPIC_API_KEY: 'test-key-not-real',
      ANTHROPIC_BASE_URL: model.url,
      AMBIENT_RUNNER_IMAGE: 'ambient-runner:e2e',
      AMBIENT_RUNNER_COMMAND: JSON.stringify(imageCommand),
      AMBIENT_WORKSPACE_SIZE: '1Gi',
      POD_NAMESPACE: PLATFORM_NAMESPACE,
      POD_NAME: 'operator-e2e',
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
    await api?.close();
    await kubelet?.stop();
    await cluster?.stop();
    await postgres?.stop();
    await model?.close();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  it('alice creates a project and runs a session through a Job to Completed; bob sees none of it', async () => {
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
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 90_000);
    const events: StreamedEvent[] = [];
    try {
      const stream = await call(alice, `${base}/agui/events?compact=false`, { signal: controller.signal });
      expect(stream.status).toBe(200);
      for await (const frame of readSse(stream)) {
        const event = JSON.parse(frame.data) as StreamedEvent;
        events.push(event);
        if (event.type === 'RUN_FINISHED' || event.type === 'RUN_ERROR') break;
      }
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
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

    // Workspace files are not served in cluster mode yet: a clear 503.
    expect((await call(alice, `${base}/workspace`)).status).toBe(503);

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
