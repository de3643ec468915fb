/**
 * LeaderElector on a real kube-apiserver: two candidates, exactly one leads; a stopped leader
 * hands over at the successor's next retry; a SIGKILLed leader (another process, no release) is
 * replaced once its lease has expired — not before, and within the lease duration plus the
 * observation delay (two retry periods).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createTestNamespace } from '@ambient/kube-testing';
import { acquireTestCluster, kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import type { AcquiredTestCluster } from '@ambient/kube-testing/shared-cluster';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { sleep, waitUntil } from '@ambient/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LeaderElector } from './leader-elector.ts';
import type { LeaderElectorOptions } from './leader-elector.ts';
import { REPOSITORY_ROOT } from './test-support/cluster-fixtures.ts';

const TIMING = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 250 };
const CANDIDATE_SCRIPT = fileURLToPath(
  new URL('./test-support/leader-elector-process.ts', import.meta.url),
);

describe.skipIf(kubeTestsSkipped)('LeaderElector on a real cluster', () => {
  let cluster: AcquiredTestCluster;
  let namespace: string;
  const electors: LeaderElector[] = [];
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    cluster = await acquireTestCluster();
    namespace = (await createTestNamespace(cluster.kubeConfig, { prefix: 'leases' })).name;
  }, 30 * 60_000);
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await Promise.all(electors.splice(0).map((elector) => elector.stop()));
  });
  afterAll(async () => {
    await cluster?.release();
  });

  function candidate(
    leaseName: string,
    identity: string,
    log: string[],
    extra: Partial<LeaderElectorOptions> = {},
  ): LeaderElector {
    const elector = new LeaderElector({
      ...TIMING,
      kubeConfig: cluster.kubeConfig,
      namespace,
      leaseName,
      identity,
      onStartedLeading: () => log.push(`${identity} leads`),
      onStoppedLeading: () => log.push(`${identity} stops`),
      ...extra,
    });
    electors.push(elector);
    return elector;
  }

  async function holderOf(leaseName: string): Promise<string | undefined> {
    const api = cluster.kubeConfig.makeApiClient(CustomObjectsApi);
    const lease = (await api.getNamespacedCustomObject({
      group: 'coordination.k8s.io',
      version: 'v1',
      namespace,
      plural: 'leases',
      name: leaseName,
    })) as { spec?: { holderIdentity?: string } };
    return lease.spec?.holderIdentity;
  }

  it('elects exactly one of two candidates and hands over on stop', async () => {
    const log: string[] = [];
    const first = candidate('two-candidates', 'first', log);
    const second = candidate('two-candidates', 'second', log);
    first.start();
    second.start();
    await waitUntil(() => first.isLeader || second.isLeader, 'a leader', {
      timeoutMs: 5_000,
      quietPeriodMs: 0,
    });
    // Over more than a lease duration, never two leaders and never a change of leader.
    const until = Date.now() + TIMING.leaseDurationMs + 2 * TIMING.retryPeriodMs;
    while (Date.now() < until) {
      expect(Number(first.isLeader) + Number(second.isLeader)).toBe(1);
      await sleep(50);
    }
    expect(log).toHaveLength(1);
    const [leader, follower, followerName] = first.isLeader
      ? [first, second, 'second']
      : [second, first, 'first'];
    expect(await holderOf('two-candidates')).toBe(log[0]!.split(' ')[0]);

    const stoppedAt = performance.now();
    await leader.stop();
    expect(leader.isLeader).toBe(false);
    await waitUntil(() => follower.isLeader, 'the follower takes over', {
      timeoutMs: TIMING.leaseDurationMs,
      quietPeriodMs: 0,
    });
    // A released lease is taken at the next retry, not after waiting out the lease.
    expect(performance.now() - stoppedAt).toBeLessThan(TIMING.leaseDurationMs);
    expect(await holderOf('two-candidates')).toBe(followerName);
    expect(log.slice(1)).toEqual([log[0]!.replace('leads', 'stops'), `${followerName} leads`]);
  });

  it('takes over from a killed leader once its lease expires', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CANDIDATE_SCRIPT], {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        KUBE_SERVER: cluster.connection.server,
        KUBE_CA_DATA: cluster.connection.caData,
        KUBE_TOKEN: cluster.connection.adminToken,
        LEASE_NAMESPACE: namespace,
        LEASE_NAME: 'killed-leader',
        LEASE_IDENTITY: 'child',
        LEASE_DURATION_MS: String(TIMING.leaseDurationMs),
        RENEW_DEADLINE_MS: String(TIMING.renewDeadlineMs),
        RETRY_PERIOD_MS: String(TIMING.retryPeriodMs),
      },
    });
    children.push(child);
    const childLines: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => childLines.push(line));
    await waitUntil(() => childLines.includes('leading'), 'the child leads', {
      timeoutMs: 20_000,
      quietPeriodMs: 0,
    });

    const log: string[] = [];
    const survivor = candidate('killed-leader', 'survivor', log);
    survivor.start();
    await sleep(TIMING.leaseDurationMs + TIMING.retryPeriodMs); // the child keeps renewing
    expect(survivor.isLeader).toBe(false);

    child.kill('SIGKILL');
    const killedAt = performance.now();
    await waitUntil(() => survivor.isLeader, 'the survivor takes over', {
      timeoutMs: 10_000,
      quietPeriodMs: 0,
    });
    const handoverMs = performance.now() - killedAt;
    expect(handoverMs).toBeGreaterThan(TIMING.leaseDurationMs - 2 * TIMING.retryPeriodMs);
    expect(handoverMs).toBeLessThan(TIMING.leaseDurationMs + 2 * TIMING.retryPeriodMs + 250);
    expect(await holderOf('killed-leader')).toBe('survivor');
  });

  it('rejects timings that could give two leaders', () => {
    expect(() =>
      candidate('bad', 'bad', [], { leaseDurationMs: 1_000, renewDeadlineMs: 2_000 }),
    ).toThrow(RangeError);
  });
});
