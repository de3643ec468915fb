import { randomUUID } from 'node:crypto';
import type { SessionEvent } from '@ambient/contracts';
import {
  agUi,
  describeEventLogContract,
  expectPlatformError,
  expectPlatformErrorSync,
  fromRunner,
  sleep,
  textDeltas,
  waitForCount,
} from '@ambient/testing';
import { useCleanups } from '@ambient/testing/cleanups';
import { describe, expect, it } from 'vitest';
import { PostgresEventLog } from './postgres-event-log.ts';
import type { PostgresEventLogOptions } from './postgres-event-log.ts';
import { useTestDatabases } from './test-databases.ts';

const databases = useTestDatabases();

function harnessWith(options: { followPageSize?: number } = {}) {
  return async () => {
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
  const defer = useCleanups();
  async function open(options: PostgresEventLogOptions = {}) {
    const database = await databases.create();
    const pool = database.openPool();
    const log = new PostgresEventLog(pool, options);
    defer(() => database.drop());
    defer(() => log.close());
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
    defer(log.follow(uid, 0, (events) => received.push(...events)));
    return received;
  }
});

async function waitUntilAsync(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await sleep(20);
  }
}
