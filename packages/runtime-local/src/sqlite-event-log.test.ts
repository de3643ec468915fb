import { randomUUID } from 'node:crypto';
import { agUi, describeEventLogContract, fromRunner, textDeltas } from '@ambient/testing';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { SqliteEventLog } from './sqlite-event-log.ts';
import { temporaryDatabaseHarness, useTemporaryDatabases } from './test-database.ts';

describeEventLogContract(
  'SQLite (file database)',
  temporaryDatabaseHarness((database) => ({ log: new SqliteEventLog(database) })),
);

describeEventLogContract(
  'SQLite (catch-up in pages of 7)',
  temporaryDatabaseHarness((database) => ({
    log: new SqliteEventLog(database, { followPageSize: 7 }),
  })),
);

describe('SqliteEventLog (adapter-specific)', () => {
  const { open, defer } = useTemporaryDatabases();

  it('keeps events, seq, producerSeq and the summary across a reopen', async () => {
    const { path, database } = open();
    const uid = randomUUID();
    await new SqliteEventLog(database).append(
      uid,
      fromRunner([agUi.runStarted('run-1'), agUi.sdkSession('sdk-1'), ...textDeltas(3)], 1),
    );
    database.close();

    const reopened = openDatabase(path);
    defer(() => reopened.close());
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
});
