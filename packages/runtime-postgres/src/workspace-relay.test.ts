/**
 * The workspace relay between two "replicas" (separate pools and relays on one database): a request
 * made on one is answered by the one holding the runner, one replica claims it, a runner that
 * connects later picks up what waits for it, and nothing is left behind in the table.
 */
import type { WorkspaceRequest, WorkspaceResult } from '@ambient/contracts';
import { PlatformError } from '@ambient/core';
import type { WorkspaceRelayOptions } from '@ambient/core';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useCleanups } from '@ambient/testing/cleanups';
import { useTestDatabases } from './test-databases.ts';
import { PostgresWorkspaceRelay } from './workspace-relay.ts';

const databases = useTestDatabases();
const addCleanup = useCleanups();

const FAST = { pollIntervalMs: 50, reannounceIntervalMs: 100 };

/** A replica holding runner connections for `held` sessions, answering with what they asked for. */
function replica(pool: pg.Pool, name: string, held: Set<string>, handled: string[]) {
  const errors: unknown[] = [];
  const relay = new PostgresWorkspaceRelay(pool, {
    ...FAST,
    replicaId: name,
    onError: (error) => errors.push(error),
  });
  relay.serve({
    holds: (uid) => held.has(uid),
    async handle(uid, request): Promise<WorkspaceResult> {
      handled.push(`${name}:${uid}:${request.path}`);
      return { kind: 'directory', path: request.path, items: [] };
    },
  });
  addCleanup(() => relay.close());
  return { relay, errors };
}

async function twoReplicas() {
  const database = await databases.create();
  addCleanup(() => database.drop());
  const handled: string[] = [];
  const heldByA = new Set<string>();
  const heldByB = new Set<string>();
  const poolA = database.openPool();
  const poolB = database.openPool();
  return {
    a: replica(poolA, 'a', heldByA, handled),
    b: replica(poolB, 'b', heldByB, handled),
    heldByA,
    heldByB,
    handled,
    poolA,
  };
}

const read = (path: string): WorkspaceRequest => ({ op: 'read', path });
const options = (overrides: Partial<WorkspaceRelayOptions> = {}): WorkspaceRelayOptions => ({
  connectTimeoutMs: 5_000,
  exchangeTimeoutMs: 5_000,
  onUnclaimed: () => undefined,
  ...overrides,
});

describe('PostgresWorkspaceRelay', () => {
  it('carries a request to the replica holding the runner and its answer back, leaving no row', async () => {
    const { a, b, heldByB, handled, poolA } = await twoReplicas();
    heldByB.add('uid-1');
    const result = await a.relay.forward('uid-1', read('artifacts'), options());
    expect(result).toEqual({ kind: 'directory', path: 'artifacts', items: [] });
    expect(handled).toEqual(['b:uid-1:artifacts']);
    expect(
      (await poolA.query('SELECT count(*)::int AS count FROM workspace_relay_requests')).rows[0],
    ).toEqual({ count: 0 });
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('lets exactly one replica serve a request when both hold a connection', async () => {
    const { a, heldByA, heldByB, handled } = await twoReplicas();
    heldByA.add('uid-1');
    heldByB.add('uid-1');
    await Promise.all(
      [1, 2, 3, 4, 5].map((index) => a.relay.forward('uid-1', read(`f${index}`), options())),
    );
    expect(handled.map((entry) => entry.split(':')[2]).sort()).toEqual([
      'f1',
      'f2',
      'f3',
      'f4',
      'f5',
    ]);
  });

  it('asks for a viewer while nobody holds the session, and serves once its connection arrives', async () => {
    const { a, b, heldByB, handled } = await twoReplicas();
    let unclaimed = 0;
    const forwarded = a.relay.forward(
      'uid-2',
      read('late'),
      options({
        onUnclaimed: () => {
          unclaimed += 1;
          if (unclaimed === 1) {
            // The viewer connects to replica b, which then claims what waits for it.
            heldByB.add('uid-2');
            b.relay.claimWaiting('uid-2');
          }
        },
      }),
    );
    expect(await forwarded).toEqual({ kind: 'directory', path: 'late', items: [] });
    expect(handled).toEqual(['b:uid-2:late']);
    expect(unclaimed).toBe(1);
  });

  it('withdraws a request nobody took in time, as a retryable 503', async () => {
    const { a, poolA } = await twoReplicas();
    let unclaimed = 0;
    const error = await a.relay
      .forward(
        'uid-3',
        read(''),
        options({ connectTimeoutMs: 400, onUnclaimed: () => (unclaimed += 1) }),
      )
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(PlatformError.isInstance(error) && [error.code, error.isRetryable]).toEqual([
      'unavailable',
      true,
    ]);
    expect(unclaimed).toBeGreaterThanOrEqual(2);
    expect(
      (await poolA.query('SELECT count(*)::int AS count FROM workspace_relay_requests')).rows[0],
    ).toEqual({ count: 0 });
  });

  it('passes a runner failure through as its error result', async () => {
    const { a, b } = await twoReplicas();
    b.relay.serve({
      holds: () => true,
      handle: () => Promise.reject(new PlatformError('forbidden', 'the path leaves the workspace')),
    });
    expect(await a.relay.forward('uid-4', read('../x'), options())).toEqual({
      kind: 'error',
      code: 'forbidden',
      message: 'the path leaves the workspace',
    });
  });
});
