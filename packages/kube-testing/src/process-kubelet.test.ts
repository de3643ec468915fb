/** The process kubelet on the real cluster: Jobs, volumes, env, exit codes, deletion. */
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './https-probe.ts';
import { isApiStatus } from './kubelet/kube-api.ts';
import { startProcessKubelet } from './process-kubelet.ts';
import type { ProcessKubelet } from './process-kubelet.ts';
import { acquireTestCluster, kubeTestsSkipped } from './shared-cluster.ts';
import type { AcquiredTestCluster } from './shared-cluster.ts';
import { createTestNamespace } from './test-namespaces.ts';
import type { TestNamespace } from './test-namespaces.ts';

describe.skipIf(kubeTestsSkipped)('process kubelet', () => {
  let cluster: AcquiredTestCluster;
  let kubelet: ProcessKubelet;
  let workDir: string;
  let namespace: TestNamespace;
  let coreApi: CoreV1Api;

  beforeAll(async () => {
    cluster = await acquireTestCluster();
    coreApi = cluster.kubeConfig.makeApiClient(CoreV1Api);
    workDir = mkdtempSync(join(tmpdir(), 'process-kubelet-'));
    const nodeName = `process-node-${Date.now().toString(36)}`;
    kubelet = await startProcessKubelet({
      kubeConfig: cluster.kubeConfig,
      nodeName,
      workDir,
      dedicated: true,
    });
  }, 30 * 60_000);

  afterAll(async () => {
    await kubelet?.stop();
    await cluster?.release();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function newNamespace(prefix: string): Promise<string> {
    namespace = await createTestNamespace(cluster.kubeConfig, {
      prefix,
      pinnedToNode: kubelet.nodeName,
    });
    return namespace.name;
  }
  afterEach(() => namespace?.delete());

  async function podPhase(namespaceName: string, name: string, phases: string[]): Promise<V1Pod> {
    let pod: V1Pod | undefined;
    await waitUntil(
      `pod ${name} in ${phases.join('|')}`,
      async () => {
        pod = await coreApi.readNamespacedPod({ name, namespace: namespaceName });
        return phases.includes(pod.status?.phase ?? '');
      },
      { timeoutMs: 30_000 },
    );
    return pod as V1Pod;
  }

  function nodeScript(lines: string[]): string[] {
    return ['node', '-e', lines.join('\n')];
  }

  it(
    'runs a Job to completion with a PVC, a Secret env and a Secret volume',
    { timeout: 60_000 },
    async () => {
      const ns = await newNamespace('job');
      await coreApi.createNamespacedSecret({
        namespace: ns,
        body: {
          metadata: { name: 'app-secret' },
          stringData: { GREETING: 'hello-from-secret', 'config.json': '{"level":7}' },
        },
      });
      await coreApi.createNamespacedPersistentVolumeClaim({
        namespace: ns,
        body: {
          metadata: { name: 'workspace' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      });
      const script = [
        "const fs = require('fs');",
        "const config = JSON.parse(fs.readFileSync(process.env.CONFIG_DIR + '/config.json', 'utf8'));",
        "fs.writeFileSync(process.env.WORKSPACE + '/result.txt', [process.env.GREETING, config.level, process.env.POD_NAME.length > 0, process.cwd() === process.env.WORKSPACE].join('|'));",
        "console.log('greeting=' + process.env.GREETING);",
      ];
      await cluster.kubeConfig.makeApiClient(BatchV1Api).createNamespacedJob({
        namespace: ns,
        body: {
          metadata: { name: 'writer' },
          spec: {
            backoffLimit: 0,
            template: {
              spec: {
                restartPolicy: 'Never',
                volumes: [
                  { name: 'workspace', persistentVolumeClaim: { claimName: 'workspace' } },
                  { name: 'config', secret: { secretName: 'app-secret' } },
                ],
                containers: [
                  {
                    name: 'main',
                    image: 'registry.example/ignored:1',
                    command: nodeScript(script),
                    workingDir: '/workspace',
                    env: [
                      {
                        name: 'GREETING',
                        valueFrom: { secretKeyRef: { name: 'app-secret', key: 'GREETING' } },
                      },
                      { name: 'WORKSPACE', value: '/workspace' },
                      { name: 'CONFIG_DIR', value: '/etc/app' },
                      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                    ],
                    volumeMounts: [
                      { name: 'workspace', mountPath: '/workspace' },
                      { name: 'config', mountPath: '/etc/app', readOnly: true },
                    ],
                  },
                ],
              },
            },
          },
        },
      });
      const batchApi = cluster.kubeConfig.makeApiClient(BatchV1Api);
      await waitUntil(
        'job succeeded',
        async () => {
          const job = await batchApi.readNamespacedJob({ name: 'writer', namespace: ns });
          return job.status?.succeeded === 1;
        },
        { timeoutMs: 45_000 },
      );

      expect(
        readFileSync(join(kubelet.claimDirectory(ns, 'workspace'), 'result.txt'), 'utf8'),
      ).toBe('hello-from-secret|7|true|true');
      const [pod] = (
        await coreApi.listNamespacedPod({ namespace: ns, labelSelector: 'job-name=writer' })
      ).items;
      expect(pod?.status?.phase).toBe('Succeeded');
      expect(pod?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
        exitCode: 0,
        reason: 'Completed',
      });
      expect(kubelet.readLog(ns, pod?.metadata?.name ?? '', 'main')).toContain(
        'greeting=hello-from-secret',
      );
    },
  );

  it('reports a failing command as phase Failed with its exit code', async () => {
    const ns = await newNamespace('fail');
    await coreApi.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'fails' },
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'main', image: 'x', command: nodeScript(['process.exit(3)']) }],
        },
      },
    });
    const pod = await podPhase(ns, 'fails', ['Failed', 'Succeeded']);
    expect(pod.status?.phase).toBe('Failed');
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 3,
      reason: 'Error',
    });
  });

  it('SIGTERMs the process when its pod is deleted, then removes the pod', async () => {
    const ns = await newNamespace('delete');
    const signals = mkdtempSync(join(workDir, 'signals-'));
    await coreApi.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'sleeper' },
        spec: {
          restartPolicy: 'Never',
          volumes: [{ name: 'signals', hostPath: { path: signals } }],
          containers: [
            {
              name: 'main',
              image: 'x',
              command: nodeScript([
                "const fs = require('fs');",
                "process.on('SIGTERM', () => { fs.writeFileSync(process.env.SIGNALS + '/got', 'SIGTERM'); process.exit(0); });",
                "fs.writeFileSync(process.env.SIGNALS + '/started', 'yes');",
                'setInterval(() => {}, 1000);',
              ]),
              env: [{ name: 'SIGNALS', value: '/signals' }],
              volumeMounts: [{ name: 'signals', mountPath: '/signals' }],
            },
          ],
        },
      },
    });
    const running = await podPhase(ns, 'sleeper', ['Running']);
    expect(running.status?.containerStatuses?.[0]?.state?.running?.startedAt).toBeTruthy();
    await waitUntil('process started', async () => existsSync(join(signals, 'started')), {
      timeoutMs: 10_000,
    });

    await coreApi.deleteNamespacedPod({ name: 'sleeper', namespace: ns });
    await waitUntil(
      'pod removed',
      async () => {
        try {
          await coreApi.readNamespacedPod({ name: 'sleeper', namespace: ns });
          return false;
        } catch (error) {
          return isApiStatus(error, 404);
        }
      },
      { timeoutMs: 15_000 },
    );
    expect(readFileSync(join(signals, 'got'), 'utf8')).toBe('SIGTERM');
  });

  it('runs init containers first and waits for a missing Secret', async () => {
    const ns = await newNamespace('init');
    await coreApi.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'staged' },
        spec: {
          restartPolicy: 'Never',
          volumes: [{ name: 'scratch', emptyDir: {} }],
          initContainers: [
            {
              name: 'prepare',
              image: 'x',
              // Paths inside a shell string are not rewritten: they come through an env var.
              command: ['sh', '-c', 'echo prepared > "$SCRATCH/step"'],
              env: [{ name: 'SCRATCH', value: '/scratch' }],
              volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
            },
          ],
          containers: [
            {
              name: 'main',
              image: 'x',
              command: [
                'sh',
                '-c',
                'test "$(cat "$SCRATCH/step")" = prepared && test "$TOKEN" = late',
              ],
              env: [
                { name: 'SCRATCH', value: '/scratch' },
                { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'late', key: 'token' } } },
              ],
              volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
            },
          ],
        },
      },
    });
    await waitUntil(
      'waiting for the secret',
      async () => {
        const pod = await coreApi.readNamespacedPod({ name: 'staged', namespace: ns });
        return (
          pod.status?.initContainerStatuses?.[0]?.state?.waiting?.reason ===
          'CreateContainerConfigError'
        );
      },
      { timeoutMs: 20_000 },
    );
    await coreApi.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: 'late' }, stringData: { token: 'late' } },
    });
    const pod = await podPhase(ns, 'staged', ['Succeeded', 'Failed']);
    expect(pod.status?.initContainerStatuses?.[0]?.state?.terminated?.exitCode).toBe(0);
    expect(pod.status?.phase).toBe('Succeeded');
  });

  it('lets the Job controller enforce activeDeadlineSeconds by deleting the pod', async () => {
    const ns = await newNamespace('deadline');
    const signals = mkdtempSync(join(workDir, 'signals-'));
    const batchApi = cluster.kubeConfig.makeApiClient(BatchV1Api);
    await batchApi.createNamespacedJob({
      namespace: ns,
      body: {
        metadata: { name: 'slow' },
        spec: {
          activeDeadlineSeconds: 2,
          backoffLimit: 0,
          template: {
            spec: {
              restartPolicy: 'Never',
              terminationGracePeriodSeconds: 5,
              volumes: [{ name: 'signals', hostPath: { path: signals } }],
              containers: [
                {
                  name: 'main',
                  image: 'x',
                  command: nodeScript([
                    "process.on('SIGTERM', () => { require('fs').writeFileSync(process.env.SIGNALS + '/got', 'SIGTERM'); process.exit(143); });",
                    'setInterval(() => {}, 1000);',
                  ]),
                  env: [{ name: 'SIGNALS', value: '/signals' }],
                  volumeMounts: [{ name: 'signals', mountPath: '/signals' }],
                },
              ],
            },
          },
        },
      },
    });
    await waitUntil(
      'job failed with DeadlineExceeded',
      async () => {
        const job = await batchApi.readNamespacedJob({ name: 'slow', namespace: ns });
        return (
          job.status?.conditions?.some(
            (c) => c.type === 'Failed' && c.reason === 'DeadlineExceeded',
          ) ?? false
        );
      },
      { timeoutMs: 20_000 },
    );
    await waitUntil('process got SIGTERM', async () => existsSync(join(signals, 'got')), {
      timeoutMs: 10_000,
    });
    await waitUntil(
      'pod removed',
      async () => (await coreApi.listNamespacedPod({ namespace: ns })).items.length === 0,
      { timeoutMs: 10_000 },
    );
  });
});
