import { randomUUID } from 'node:crypto';
import type { SessionEvent } from '@ambient/contracts';
import { EMPTY_SUMMARY, foldSummary } from '@ambient/core';
import type { AppendInput } from '@ambient/core';
import {
  agUi,
  describeEventLogContract,
  expectPlatformError,
  expectPlatformErrorSync,
  sleep,
  textDeltas,
  waitForCount,
} from '@ambient/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventLog } from './postgres-event-log.ts';
import type { PostgresEventLogOptions } from './postgres-event-log.ts';
import { testDatabases } from './test-databases.ts';
import type { TestDatabases } from './test-databases.ts';
import { startTestPostgres } from './test-postgres.ts';
import type { TestPostgres } from './test-postgres.ts';

let server: TestPostgres | undefined;
let databases: TestDatabases | undefined;

beforeAll(async () => {
  server = await startTestPostgres();
  databases = testDatabases(server);
});

afterAll(async () => {
  await databases?.close();
  await server?.stop();
});

function harnessWith(options: { followPageSize?: number } = {}) {
  return async () => {
    if (!databases) throw new Error('the test server did not start');
    const database = await databases.create();
    const log = new PostgresEventLog(database.openPool(), options);
    return {
      log,
      cleanup: async () => {
        await log.close();
        await database.drop();
      },
    };
  };
}

describeEventLogContract('PostgreSQL', harnessWith());

describeEventLogContract('PostgreSQL (catch-up in pages of 7)', harnessWith({ followPageSize: 7 }));

describe('PostgresEventLog (adapter-specific)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function open(options: PostgresEventLogOptions = {}) {
    if (!databases) throw new Error('the test server did not start');
    const database = await databases.create();
    const pool = database.openPool();
    const log = new PostgresEventLog(pool, options);
    cleanups.push(
      () => database.drop(),
      () => log.close(),
    );
    return { database, pool, log };
  }

  it('stores each event as JSONB that includes its seq, with BIGINT seqs', async () => {
    const { pool, log } = await open();
    const uid = randomUUID();
    await log.append(uid, [{ event: agUi.textContent('m1', 'hi') }]);
    await log.append(uid, fromRunner([agUi.textEnd('m1')], 1));
    const { rows } = await pool.query(
      `SELECT seq, producer_seq, event, pg_typeof(seq)::text AS seq_type
       FROM session_events WHERE session_uid = $1 ORDER BY seq`,
      [uid],
    );
    expect(rows).toEqual([
      {
        seq: '1',
        producer_seq: null,
        event: { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: 'hi', seq: 1 },
        seq_type: 'bigint',
      },
      {
        seq: '2',
        producer_seq: '1',
        event: { type: 'TEXT_MESSAGE_END', messageId: 'm1', seq: 2 },
        seq_type: 'bigint',
      },
    ]);
  });

  it('keeps the summary equal to folding the stored events', async () => {
    const { log } = await open();
    const uid = randomUUID();
    await log.append(
      uid,
      fromRunner([agUi.runStarted('r1'), ...textDeltas(5), agUi.runFinished('r1')], 1),
    );
    await log.append(uid, [{ event: agUi.runError('boom') }]);
    const summary = await log.summary(uid);
    const refolded = (await log.read(uid)).reduce(
      (folded, event, index) =>
        foldSummary(
          folded,
          event,
          event.seq,
          index < 7 ? index + 1 : undefined,
          summary.lastEventAt ?? '',
        ),
      { ...EMPTY_SUMMARY },
    );
    expect(JSON.parse(JSON.stringify(refolded))).toEqual(summary);
  });

  it('stores U+0000 and lone surrogates, which JSONB rejects, as U+FFFD', async () => {
    const { log } = await open();
    const uid = randomUUID();
    const result = await log.append(uid, [
      { event: agUi.textContent('m1', 'nul\u0000 lone\ud800 pair\ud83d\ude00 text\\u0000') },
      { event: agUi.runError('bad\u0000message') },
    ]);
    const expected = 'nul\ufffd lone\ufffd pair\ud83d\ude00 text\\u0000';
    expect(result.appended[0]?.['delta']).toBe(expected);
    expect((await log.read(uid))[0]?.['delta']).toBe(expected);
    expect((await log.summary(uid)).lastRunError).toBe('bad\ufffdmessage');
  });

  it('gives each follower its own copies of live events', async () => {
    const { log } = await open();
    const uid = randomUUID();
    const first: SessionEvent[] = [];
    const second: SessionEvent[] = [];
    cleanups.push(
      log.follow(uid, 0, (events) => {
        for (const event of events) event['delta'] = 'mutated';
        first.push(...events);
      }),
      log.follow(uid, 0, (events) => second.push(...events)),
    );
    await sleep(100);
    const result = await log.append(uid, [{ event: agUi.textContent('m1', 'original') }]);
    await waitForCount(second, 1, 'the live event');
    expect(second[0]?.['delta']).toBe('original');
    expect(first[0]?.['delta']).toBe('mutated');
    expect(result.appended[0]?.['delta']).toBe('original');
  });

  it('follows a session whose uid is too long for a NOTIFY payload', async () => {
    const { log } = await open();
    const uid = `${randomUUID()}-${'x'.repeat(9_000)}`;
    const received = follow(log, uid);
    await sleep(100);
    await log.append(uid, fromRunner(textDeltas(3), 1));
    await waitForCount(received, 3, 'events of the long uid');
    expect(received.map((event) => event.seq)).toEqual([1, 2, 3]);
  });

  it('treats an empty append as a no-op and validates read options', async () => {
    const { log } = await open();
    const uid = randomUUID();
    await log.append(uid, fromRunner(textDeltas(2), 1));
    expect(await log.append(uid, [])).toEqual({ appended: [], lastSeq: 2, lastProducerSeq: 2 });
    expect(await log.read(uid, { limit: 0 })).toHaveLength(2);
    await expectPlatformError(log.read(uid, { afterSeq: -1 }), 'bad_request');
    expectPlatformErrorSync(() => log.follow(uid, 1.5, () => undefined), 'bad_request');
    await expectPlatformError(log.append('', [{ event: agUi.runStarted('r') }]), 'bad_request');
  });

  it('closes its LISTEN connection and stops its followers on close()', async () => {
    const { pool, log } = await open({ listenerApplicationName: 'closing-listener' });
    const uid = randomUUID();
    const received = follow(log, uid);
    await log.append(uid, [{ event: agUi.runStarted('r1') }]);
    await waitForCount(received, 1, 'the first event');
    const listeners = () =>
      pool
        .query(`SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = $1`, [
          'closing-listener',
        ])
        .then((result) => (result.rows[0] as { count: number }).count);
    expect(await listeners()).toBe(1);
    await log.close();
    await log.append(uid, [{ event: agUi.runFinished('r1') }]);
    await sleep(100);
    expect(received).toHaveLength(1);
    await waitUntilAsync(async () => (await listeners()) === 0);
  });

  function follow(log: PostgresEventLog, uid: string): SessionEvent[] {
    const received: SessionEvent[] = [];
    cleanups.push(log.follow(uid, 0, (events) => received.push(...events)));
    return received;
  }
});

const fromRunner = (events: AppendInput['event'][], first: number): AppendInput[] =>
  events.map((event, offset) => ({ event, producerSeq: first + offset }));

async function waitUntilAsync(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await sleep(20);
  }
}
