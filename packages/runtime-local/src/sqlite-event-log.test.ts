import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionEvent } from '@ambient/contracts';
import { EMPTY_SUMMARY, foldSummary } from '@ambient/core';
import type { AppendInput } from '@ambient/core';
import { agUi, describeEventLogContract, textDeltas, waitForCount } from '@ambient/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import type { SqliteDatabase } from './database.ts';
import { SqliteEventLog } from './sqlite-event-log.ts';

function temporaryDatabase(): { path: string; database: SqliteDatabase; remove(): void } {
  const directory = mkdtempSync(join(tmpdir(), 'ambient-events-'));
  const path = join(directory, 'ambient.db');
  return {
    path,
    database: openDatabase(path),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

const fromRunner = (events: AppendInput['event'][], first: number): AppendInput[] =>
  events.map((event, offset) => ({ event, producerSeq: first + offset }));

describeEventLogContract('SQLite (file database)', async () => {
  const file = temporaryDatabase();
  return {
    log: new SqliteEventLog(file.database),
    cleanup: async () => {
      file.database.close();
      file.remove();
    },
  };
});

describeEventLogContract('SQLite (catch-up in pages of 7)', async () => {
  const file = temporaryDatabase();
  return {
    log: new SqliteEventLog(file.database, { followPageSize: 7 }),
    cleanup: async () => {
      file.database.close();
      file.remove();
    },
  };
});

describe('SqliteEventLog (adapter-specific)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });
  const open = () => {
    const file = temporaryDatabase();
    cleanups.push(file.remove, () => file.database.open && file.database.close());
    return file;
  };

  it('keeps events, seq, producerSeq and the summary across a reopen', async () => {
    const { path, database } = open();
    const uid = randomUUID();
    await new SqliteEventLog(database).append(
      uid,
      fromRunner([agUi.runStarted('run-1'), agUi.sdkSession('sdk-1'), ...textDeltas(3)], 1),
    );
    database.close();

    const reopened = openDatabase(path);
    cleanups.push(() => reopened.close());
    const log = new SqliteEventLog(reopened);
    expect(await log.summary(uid)).toMatchObject({
      lastSeq: 5,
      lastProducerSeq: 5,
      sdkSessionId: 'sdk-1',
    });
    const resend = await log.append(uid, fromRunner(textDeltas(7), 1));
    expect(resend.appended.map((event) => event.seq)).toEqual([6, 7]);
    expect((await log.read(uid)).map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('stores each event as JSON that includes its seq', async () => {
    const { database } = open();
    const uid = randomUUID();
    await new SqliteEventLog(database).append(uid, [{ event: agUi.textContent('m1', 'hi') }]);
    const row = database
      .prepare('SELECT seq, producer_seq, event FROM session_events WHERE session_uid = ?')
      .get(uid);
    expect(row).toEqual({
      seq: 1,
      producer_seq: null,
      event: JSON.stringify({ type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: 'hi', seq: 1 }),
    });
  });

  it('keeps the summary equal to folding the stored events', async () => {
    const { database } = open();
    const log = new SqliteEventLog(database);
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
          summary.lastEventAt!,
        ),
      { ...EMPTY_SUMMARY },
    );
    expect(JSON.parse(JSON.stringify(refolded))).toEqual(summary);
  });

  it('gives each follower its own copies of live events', async () => {
    const { database } = open();
    const log = new SqliteEventLog(database);
    const uid = randomUUID();
    const first: SessionEvent[] = [];
    const second: SessionEvent[] = [];
    log.follow(uid, 0, (events) => {
      for (const event of events) event['delta'] = 'mutated';
      first.push(...events);
    });
    log.follow(uid, 0, (events) => second.push(...events));
    const result = await log.append(uid, [{ event: agUi.textContent('m1', 'original') }]);
    await waitForCount(second, 1, 'the live event');
    expect(second[0]?.['delta']).toBe('original');
    expect(result.appended[0]?.['delta']).toBe('original');
  });
});
