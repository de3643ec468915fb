/**
 * Permissions, secrets and the RBAC manifests on a real kube-apiserver: the ClusterRoles from
 * deploy/base/rbac are applied, members are bound with KubePermissionStore, and every check is
 * made through the adapters with the member's own token (`credentials`), while the KubeConfig
 * beneath is the cluster admin's: any fallback to the KubeConfig's identity would let the
 * forbidden calls through and fail these tests.
 */
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { createTestNamespace } from '@ambient/kube-testing';
import { acquireTestCluster, kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import type { AcquiredTestCluster } from '@ambient/kube-testing/shared-cluster';
import { AgenticSessionKind } from '@ambient/contracts';
import type { AgenticSession } from '@ambient/contracts';
import { PlatformError, SECRET_NAMES } from '@ambient/core';
import type { ErrorCode, WatchEvent } from '@ambient/core';
import { newSession, waitUntil } from '@ambient/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubePermissionStore, roleBindingName } from './kube-permission-store.ts';
import { KubeResourceStore } from './kube-resource-store.ts';
import { KubeSecretStore, RUNNER_SECRET_ANNOTATION } from './kube-secret-store.ts';
import { installCrds, installRbac } from './test-support/cluster-fixtures.ts';

const RBAC_PROPAGATION = { timeoutMs: 10_000, quietPeriodMs: 0 };

async function failure(action: Promise<unknown>): Promise<PlatformError> {
  const error = await action.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!PlatformError.isInstance(error))
    throw new Error(`expected a PlatformError, got ${String(error)}`);
  return error;
}

async function expectCode(action: Promise<unknown>, code: ErrorCode): Promise<PlatformError> {
  const error = await failure(action);
  expect(error.code).toBe(code);
  return error;
}

/** Polls until `action` settles as wanted: RBAC changes reach the authorizer's cache shortly after. */
async function eventually(
  action: () => Promise<unknown>,
  outcome: 'allowed' | ErrorCode,
): Promise<void> {
  let last: string;
  const deadline = Date.now() + RBAC_PROPAGATION.timeoutMs;
  for (;;) {
    last = await action().then(
      () => 'allowed',
      (error: unknown) => (PlatformError.isInstance(error) ? error.code : String(error)),
    );
    if (last === outcome) return;
    if (Date.now() > deadline) throw new Error(`expected ${outcome}, still ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(kubeTestsSkipped)('cluster-mode permissions, secrets and RBAC', () => {
  let cluster: AcquiredTestCluster;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    cluster = await acquireTestCluster();
    await installCrds(cluster.kubeConfig);
    const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    await core
      .createNamespace({ body: { metadata: { name: 'ambient-code' } } })
      .catch(() => undefined);
    await installRbac(cluster.kubeConfig);
  }, 30 * 60_000);
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await cluster?.release();
  });

  async function project(): Promise<string> {
    const namespace = await createTestNamespace(cluster.kubeConfig, { prefix: 'access' });
    cleanups.push(() => namespace.delete());
    return namespace.name;
  }

  const as = (user: string) => {
    const credentials = () => cluster.userToken(user);
    return {
      token: cluster.userToken(user),
      store: new KubeResourceStore({ kubeConfig: cluster.kubeConfig, credentials }),
      secrets: new KubeSecretStore({ kubeConfig: cluster.kubeConfig, credentials }),
      permissions: new KubePermissionStore({ kubeConfig: cluster.kubeConfig, credentials }),
    };
  };
  const admin = () => ({
    store: new KubeResourceStore({ kubeConfig: cluster.kubeConfig }),
    secrets: new KubeSecretStore({ kubeConfig: cluster.kubeConfig }),
    permissions: new KubePermissionStore({ kubeConfig: cluster.kubeConfig }),
  });

  it('ambient-project-view: alice lists and watches sessions, but cannot create them or read Secrets', async () => {
    const namespace = await project();
    await admin().store.create(AgenticSessionKind, newSession(namespace, 'existing'));
    await admin().secrets.put(namespace, SECRET_NAMES.runner, {
      ANTHROPIC_API_KEY: 'sk-test-value',
    });
    const alice = as('alice');
    await expectCode(alice.store.list(AgenticSessionKind, namespace), 'forbidden');

    await admin().permissions.grant(namespace, {
      subjectType: 'user',
      subjectName: 'alice',
      role: 'view',
    });
    await eventually(() => alice.store.list(AgenticSessionKind, namespace), 'allowed');
    const listed = await alice.store.list(AgenticSessionKind, namespace);
    expect(listed.items.map((item) => item.metadata.name)).toEqual(['existing']);
    expect((await alice.store.get(AgenticSessionKind, namespace, 'existing'))?.metadata.name).toBe(
      'existing',
    );

    const events: WatchEvent<AgenticSession>[] = [];
    const stop = alice.store.watch(
      AgenticSessionKind,
      { namespace, resourceVersion: listed.resourceVersion },
      (event) => events.push(event),
    );
    try {
      await admin().store.create(AgenticSessionKind, newSession(namespace, 'later'));
      await waitUntil(() => events.length === 1, 'alice sees the new session', RBAC_PROPAGATION);
    } finally {
      stop();
    }

    const denied = await expectCode(
      alice.store.create(AgenticSessionKind, newSession(namespace, 'mine')),
      'forbidden',
    );
    expect(denied.message).toContain('alice');
    expect(JSON.stringify({ message: denied.message, details: denied.details })).not.toContain(
      alice.token,
    );
    await expectCode(
      alice.store.patchStatus(AgenticSessionKind, namespace, 'existing', { phase: 'Running' }),
      'forbidden',
    );
    await expectCode(alice.secrets.describe(namespace, SECRET_NAMES.runner), 'forbidden');
    await expectCode(alice.secrets.read(namespace, SECRET_NAMES.runner), 'forbidden');
    // Members see who else has access (the Sharing page); only admins change it.
    expect((await alice.permissions.list(namespace)).length).toBeGreaterThan(0);
  });

  it('a project admin grants and changes roles of a group; Kubernetes enforces each change', async () => {
    const namespace = await project();
    await admin().permissions.grant(namespace, {
      subjectType: 'user',
      subjectName: 'alice',
      role: 'admin',
    });
    const alice = as('alice');
    const carol = as('carol'); // member of group ambient-testers
    await eventually(() => alice.permissions.list(namespace), 'allowed');

    // RBAC's escalation check: alice may bind ambient-project-edit only because admin ⊇ edit.
    await alice.permissions.grant(namespace, {
      subjectType: 'group',
      subjectName: 'ambient-testers',
      role: 'edit',
    });
    await eventually(
      () => carol.store.create(AgenticSessionKind, newSession(namespace, 'by-carol')),
      'allowed',
    );

    await alice.permissions.grant(namespace, {
      subjectType: 'group',
      subjectName: 'ambient-testers',
      role: 'view',
    });
    expect(await alice.permissions.list(namespace)).toEqual([
      { subjectType: 'group', subjectName: 'ambient-testers', role: 'view' },
      { subjectType: 'user', subjectName: 'alice', role: 'admin' },
    ]);
    await eventually(
      () => carol.store.create(AgenticSessionKind, newSession(namespace, 'again')),
      'forbidden',
    );
    await eventually(() => carol.store.list(AgenticSessionKind, namespace), 'allowed');

    expect(await alice.permissions.revoke(namespace, 'group', 'ambient-testers')).toBe(true);
    expect(await alice.permissions.revoke(namespace, 'group', 'ambient-testers')).toBe(false);
    await eventually(() => carol.store.list(AgenticSessionKind, namespace), 'forbidden');

    // An admin manages the project's secrets.
    await alice.secrets.put(namespace, SECRET_NAMES.integrations, { GITHUB_TOKEN: 'ghp_example' });
    expect(await alice.secrets.read(namespace, SECRET_NAMES.integrations)).toEqual({
      GITHUB_TOKEN: 'ghp_example',
    });
  });

  it('reads only managed RoleBindings, one role per subject, with the documented names', async () => {
    const namespace = await project();
    const rbac = cluster.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'hand-made' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'ambient-project-view',
        },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' }],
      },
    });
    const permissions = admin().permissions;
    const alice = { subjectType: 'user', subjectName: 'Alice.Smith@example.com' } as const;
    await permissions.grant(namespace, { ...alice, role: 'edit' });
    await permissions.grant(namespace, { ...alice, role: 'admin' });
    expect(await permissions.list(namespace)).toEqual([{ ...alice, role: 'admin' }]);

    const names = (await rbac.listNamespacedRoleBinding({ namespace })).items.map(
      (binding) => binding.metadata?.name,
    );
    const expected = roleBindingName({ ...alice, role: 'admin' });
    expect(expected).toMatch(/^ambient-user-admin-alice-smith-example-com-[0-9a-f]{8}$/);
    expect(names.sort()).toEqual(['hand-made', expected].sort());
    expect(roleBindingName({ subjectType: 'group', subjectName: 'ops', role: 'view' })).toBe(
      'ambient-group-view-ops',
    );

    await permissions.deleteProject(namespace);
    expect(await permissions.list(namespace)).toEqual([]);
    const left = (await rbac.listNamespacedRoleBinding({ namespace })).items.map(
      (binding) => binding.metadata?.name,
    );
    expect(left).toEqual(['hand-made']);
  });

  it('keeps one Secret per name: keys with their update times, empty values remove keys', async () => {
    const namespace = await project();
    let clock = new Date('2026-01-01T00:00:00.000Z');
    const secrets = new KubeSecretStore({ kubeConfig: cluster.kubeConfig, now: () => clock });
    expect(await secrets.describe(namespace, SECRET_NAMES.runner)).toEqual([]);
    expect(await secrets.read(namespace, SECRET_NAMES.runner)).toEqual({});
    expect(await secrets.put(namespace, SECRET_NAMES.runner, { ONLY_EMPTY: '' })).toEqual([]);

    await secrets.put(namespace, SECRET_NAMES.runner, {
      ANTHROPIC_API_KEY: 'sk-1',
      _UNDERSCORE: 'ü',
    });
    clock = new Date('2026-01-02T00:00:00.000Z');
    const described = await secrets.put(namespace, SECRET_NAMES.runner, {
      EXTRA: 'x',
      _UNDERSCORE: '',
    });
    expect(described).toEqual([
      { key: 'ANTHROPIC_API_KEY', updatedAt: '2026-01-01T00:00:00.000Z' },
      { key: 'EXTRA', updatedAt: '2026-01-02T00:00:00.000Z' },
    ]);
    expect(await secrets.read(namespace, SECRET_NAMES.runner)).toEqual({
      ANTHROPIC_API_KEY: 'sk-1',
      EXTRA: 'x',
    });

    const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    const stored = await core.readNamespacedSecret({ name: SECRET_NAMES.runner, namespace });
    expect(stored.type).toBe('Opaque');
    expect(stored.metadata?.annotations?.[RUNNER_SECRET_ANNOTATION]).toBe('true');
    expect(stored.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('ambient-code');

    // Concurrent writers of different keys both land (read-modify-write fenced by resourceVersion).
    await Promise.all(
      ['A', 'B', 'C', 'D'].map((key) =>
        secrets.put(namespace, SECRET_NAMES.integrations, { [key]: key.toLowerCase() }),
      ),
    );
    expect(await secrets.read(namespace, SECRET_NAMES.integrations)).toEqual({
      A: 'a',
      B: 'b',
      C: 'c',
      D: 'd',
    });

    await secrets.deleteProject(namespace);
    expect(await secrets.describe(namespace, SECRET_NAMES.runner)).toEqual([]);
    expect(await secrets.describe(namespace, SECRET_NAMES.integrations)).toEqual([]);
  });

  it('the operator ServiceAccount can run sessions, read secrets and bind project roles', async () => {
    const namespace = await project();
    const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    // 1.20's token controller gives the ServiceAccount a token Secret shortly after it exists.
    let token = '';
    for (let attempt = 0; !token && attempt < 100; attempt += 1) {
      const account = await core.readNamespacedServiceAccount({
        name: 'ambient-operator',
        namespace: 'ambient-code',
      });
      const secretName = account.secrets?.[0]?.name;
      if (secretName) {
        const secret = await core.readNamespacedSecret({
          name: secretName,
          namespace: 'ambient-code',
        });
        token = Buffer.from(secret.data?.['token'] ?? '', 'base64').toString('utf8');
      }
      if (!token) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const operator = cluster.kubeConfigFor(token);
    await admin().store.create(AgenticSessionKind, newSession(namespace, 'run-me'));
    await admin().secrets.put(namespace, SECRET_NAMES.runner, { ANTHROPIC_API_KEY: 'sk-op' });

    const store = new KubeResourceStore({ kubeConfig: operator });
    const running = await store.patchStatus(AgenticSessionKind, namespace, 'run-me', {
      phase: 'Running',
    });
    expect(running.status?.phase).toBe('Running');
    expect(
      await new KubeSecretStore({ kubeConfig: operator }).read(namespace, SECRET_NAMES.runner),
    ).toEqual({
      ANTHROPIC_API_KEY: 'sk-op',
    });
    const permissions = new KubePermissionStore({ kubeConfig: operator });
    await permissions.grant(namespace, {
      subjectType: 'group',
      subjectName: 'ambient-testers',
      role: 'admin',
    });
    expect(await permissions.list(namespace)).toEqual([
      { subjectType: 'group', subjectName: 'ambient-testers', role: 'admin' },
    ]);
    // …but it cannot bind anything else (bind is limited to the three project roles).
    const rbac = operator.makeApiClient(RbacAuthorizationV1Api);
    await expect(
      rbac.createNamespacedRoleBinding({
        namespace,
        body: {
          metadata: { name: 'escalate' },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'cluster-admin',
          },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' }],
        },
      }),
    ).rejects.toMatchObject({ code: 403 });
  });
});
