/**
 * Two adapter instances with separate pools on one database, as two API replicas would run them:
 * appends and pushes through one are seen live through the other, seqs stay gapless under
 * concurrent appends, and a killed LISTEN connection loses nothing.
 */
import { randomUUID } from 'node:crypto';
import type { SessionEvent } from '@ambient/contracts';
import type { Unsubscribe } from '@ambient/core';
import { agUi, fromRunner, sleep, textDeltas, waitForCount, waitUntil } from '@ambient/testing';
import { useCleanups } from '@ambient/testing/cleanups';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresCommandQueue } from './postgres-command-queue.ts';
import { PostgresEventLog } from './postgres-event-log.ts';
import type { BackoffOptions } from './retry.ts';
import { useTestDatabases } from './test-databases.ts';
import type { TestDatabase } from './test-databases.ts';

const FAST_BACKOFF: BackoffOptions = { initialDelayMs: 20, maxDelayMs: 100 };

const databases = useTestDatabases();
const defer = useCleanups();

interface Replicas {
  database: TestDatabase;
  logA: PostgresEventLog;
  logB: PostgresEventLog;
  queueA: PostgresCommandQueue;
  queueB: PostgresCommandQueue;
  errors: unknown[];
}

async function twoReplicas(): Promise<Replicas> {
  const database = await databases.create();
  const errors: unknown[] = [];
  const options = (name: string) => ({
    backoff: FAST_BACKOFF,
    onListenerError: (error: unknown) => errors.push(error),
    listenerApplicationName: name,
  });
  const [poolA, poolB] = [database.openPool(), database.openPool()];
  const replicas: Replicas = {
    database,
    logA: new PostgresEventLog(poolA, options('replica-a-events')),
    logB: new PostgresEventLog(poolB, options('replica-b-events')),
    queueA: new PostgresCommandQueue(poolA, options('replica-a-commands')),
    queueB: new PostgresCommandQueue(poolB, options('replica-b-commands')),
    errors,
  };
  defer(async () => {
    await Promise.all([
      replicas.logA.close(),
      replicas.logB.close(),
      replicas.queueA.close(),
      replicas.queueB.close(),
    ]);
    await database.drop();
  });
  return replicas;
}

function follow(log: PostgresEventLog, sessionUid: string, afterSeq: number): SessionEvent[] {
  const received: SessionEvent[] = [];
  const stop: Unsubscribe = log.follow(sessionUid, afterSeq, (events) => received.push(...events));
  defer(stop);
  return received;
}

const seqs = (events: readonly SessionEvent[]): number[] => events.map((event) => event.seq);
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, offset) => from + offset);

/** An admin connection to the server's `postgres` database, for what a test does to the cluster. */
async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databases.server().connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Kills the LISTEN connection of one instance, as a network blip or a failover would. */
async function killListener(database: TestDatabase, applicationName: string): Promise<void> {
  const killed = await admin((client) =>
    client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = $1 AND application_name = $2`,
      [database.name, applicationName],
    ),
  );
  expect(killed.rowCount).toBe(1);
}

/** While false, nobody can open a new connection to the database; open ones keep working. */
async function allowConnections(database: TestDatabase, allowed: boolean): Promise<void> {
  await admin((client) =>
    client.query(`ALTER DATABASE ${database.name} WITH ALLOW_CONNECTIONS ${allowed}`),
  );
}

describe('event log across replicas', () => {
  it('follows on B, exactly once and in order, what is appended through A', async () => {
    const { logA, logB } = await twoReplicas();
    const uid = randomUUID();
    await logA.append(uid, fromRunner(textDeltas(5), 1));
    const received = follow(logB, uid, 2);
    await waitForCount(received, 3, 'stored events');
    for (let batch = 0; batch < 10; batch += 1) {
      await logA.append(uid, fromRunner(textDeltas(3, `m${batch}`), 6 + batch * 3));
    }
    await waitForCount(received, 33, 'live events from the other replica');
    expect(seqs(received)).toEqual(range(3, 35));
    expect(received[3]).toMatchObject({ messageId: 'm0', delta: 'chunk 0 ' });
  });

  it('keeps replay and live apart when the other replica appends during the replay', async () => {
    const { logA, logB } = await twoReplicas();
    const uid = randomUUID();
    await logA.append(uid, fromRunner(textDeltas(1_500), 1));
    const received = follow(logB, uid, 0);
    const racing = range(1, 20).map((index) =>
      logA.append(uid, [{ event: agUi.textContent('racing', `r${index}`) }]),
    );
    await Promise.all(racing);
    await waitForCount(received, 1_520, 'stored and racing events');
    expect(seqs(received)).toEqual(range(1, 1_520));
  });

  it('assigns gapless seqs to concurrent appends from both replicas', async () => {
    const { logA, logB } = await twoReplicas();
    const uid = randomUUID();
    const onA = follow(logA, uid, 0);
    const onB = follow(logB, uid, 0);
    // The session does not exist yet: the first appends also race to create its summary row.
    const results = await Promise.all(
      range(1, 40).map((index) =>
        (index % 2 === 0 ? logA : logB).append(uid, [
          { event: agUi.textStart(`m${index}`) },
          { event: agUi.textContent(`m${index}`, 'x') },
          { event: agUi.textEnd(`m${index}`) },
        ]),
      ),
    );
    for (const result of results) {
      const [first] = seqs(result.appended);
      // Each call's events are contiguous: no other append interleaves inside one transaction.
      expect(seqs(result.appended)).toEqual(range(first ?? 0, (first ?? 0) + 2));
    }
    const all = results.flatMap((result) => seqs(result.appended)).sort((a, b) => a - b);
    expect(all).toEqual(range(1, 120));
    expect(seqs(await logB.read(uid))).toEqual(range(1, 120));
    expect(await logA.summary(uid)).toMatchObject({ lastSeq: 120, lastProducerSeq: 0 });
    await waitForCount(onA, 120, 'events followed on A');
    await waitForCount(onB, 120, 'events followed on B');
    expect(seqs(onA)).toEqual(range(1, 120));
    expect(seqs(onB)).toEqual(range(1, 120));
  });

  it('stores a runner resend sent to both replicas at once exactly once', async () => {
    const { logA, logB } = await twoReplicas();
    const uid = randomUUID();
    const events = textDeltas(30);
    const results = await Promise.all(
      range(1, 6).map((index) => (index % 2 ? logA : logB).append(uid, fromRunner(events, 1))),
    );
    const stored = results.flatMap((result) => result.appended);
    expect(stored).toHaveLength(30);
    const read = await logA.read(uid);
    expect(seqs(read)).toEqual(range(1, 30));
    expect(read.map((event) => event['delta'])).toEqual(events.map((event) => event['delta']));
    expect(await logB.summary(uid)).toMatchObject({ lastSeq: 30, lastProducerSeq: 30 });
  });

  it('catches up after its LISTEN connection is killed, also on events from the outage', async () => {
    const replicas = await twoReplicas();
    const { logA, logB, database } = replicas;
    const uid = randomUUID();
    const other = randomUUID();
    await logA.append(uid, fromRunner(textDeltas(3), 1));
    const received = follow(logB, uid, 0);
    const receivedOther = follow(logB, other, 0);
    await waitForCount(received, 3, 'events before the outage');

    // Keep B's listener from reconnecting until the outage events are committed.
    await allowConnections(database, false);
    try {
      await killListener(database, 'replica-b-events');
      await logA.append(uid, fromRunner(textDeltas(4, 'outage'), 4));
      await logA.append(other, [{ event: agUi.runStarted('run-1') }]);
      await sleep(150);
      expect(seqs(received)).toEqual([1, 2, 3]);
    } finally {
      await allowConnections(database, true);
    }
    await waitForCount(received, 7, 'events appended during the outage');
    await waitForCount(receivedOther, 1, 'the other session, appended during the outage');
    await logA.append(uid, fromRunner(textDeltas(2, 'after'), 8));
    await waitForCount(received, 9, 'events after the reconnect');
    expect(seqs(received)).toEqual(range(1, 9));
    expect(replicas.errors.length).toBeGreaterThan(0);

    // A plain kill (immediate reconnect) as well.
    await killListener(database, 'replica-b-events');
    await logA.append(uid, fromRunner(textDeltas(3, 'again'), 10));
    await waitForCount(received, 12, 'events after the second kill');
    expect(seqs(received)).toEqual(range(1, 12));
    expect(seqs(receivedOther)).toEqual([1]);
  });
});

describe('command queue across replicas', () => {
  it('wakes a push listener on B for a push through A', async () => {
    const { queueA, queueB } = await twoReplicas();
    const uid = randomUUID();
    let notified = 0;
    defer(queueB.onPush(uid, () => (notified += 1)));
    await queueA.push(uid, { kind: 'interrupt' });
    await waitUntil(() => notified === 1, 'the push notification on B');
    await queueA.push(uid, { kind: 'user_message', messageId: 'm1', text: 'hello' });
    await waitUntil(() => notified === 2, 'the second push notification on B');
    expect(await queueB.readAfter(uid, 1)).toEqual([
      { cursor: 2, command: { kind: 'user_message', messageId: 'm1', text: 'hello' } },
    ]);
    await sleep(100);
    expect(notified).toBe(2);
  });

  it('numbers concurrent pushes from both replicas without gaps', async () => {
    const { queueA, queueB } = await twoReplicas();
    const uid = randomUUID();
    const cursors = await Promise.all(
      range(1, 30).map((index) => (index % 2 ? queueA : queueB).push(uid, { kind: 'interrupt' })),
    );
    expect([...cursors].sort((a, b) => a - b)).toEqual(range(1, 30));
    expect((await queueB.readAfter(uid, 0)).map((entry) => entry.cursor)).toEqual(range(1, 30));
  });

  it('wakes a push listener for a push made while its LISTEN connection was down', async () => {
    const replicas = await twoReplicas();
    const { queueA, queueB, database } = replicas;
    const uid = randomUUID();
    let notified = 0;
    defer(queueB.onPush(uid, () => (notified += 1)));
    await queueA.push(uid, { kind: 'interrupt' });
    await waitUntil(() => notified === 1, 'the first push notification');
    await allowConnections(database, false);
    try {
      await killListener(database, 'replica-b-commands');
      await queueA.push(uid, { kind: 'stop', reason: 'user' });
      await sleep(150);
      expect(notified).toBe(1);
    } finally {
      await allowConnections(database, true);
    }
    await waitUntil(() => notified === 2, 'the push made during the outage');
    await queueA.push(uid, { kind: 'interrupt' });
    await waitUntil(() => notified === 3, 'a push after the reconnect');
    await sleep(100);
    expect(notified).toBe(3);
  });
});
