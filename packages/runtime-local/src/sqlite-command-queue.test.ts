import { randomUUID } from 'node:crypto';
import { describeCommandQueueContract, waitUntil } from '@ambient/testing';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from './database.ts';
import { SqliteCommandQueue } from './sqlite-command-queue.ts';
import { temporaryDatabaseHarness, useTemporaryDatabases } from './test-database.ts';

describeCommandQueueContract(
  'SQLite (file database)',
  temporaryDatabaseHarness((database) => ({ queue: new SqliteCommandQueue(database) })),
);

describe('SqliteCommandQueue (adapter-specific)', () => {
  const { open, defer } = useTemporaryDatabases();

  it('keeps cursors, pending commands and acknowledgements across a reopen', async () => {
    const { path, database } = open();
    const uid = randomUUID();
    const queue = new SqliteCommandQueue(database);
    await queue.push(uid, { kind: 'user_message', messageId: 'a', text: 'first' });
    await queue.push(uid, { kind: 'interrupt' });
    await queue.acknowledge(uid, 1);
    database.close();

    const reopened = openDatabase(path);
    defer(() => reopened.close());
    const again = new SqliteCommandQueue(reopened);
    expect(await again.lastAcknowledged(uid)).toBe(1);
    expect(await again.readAfter(uid, 1)).toEqual([{ cursor: 2, command: { kind: 'interrupt' } }]);
    expect(await again.push(uid, { kind: 'stop' })).toBe(3);
  });

  it('deletes commands once acknowledged', async () => {
    const { database } = open();
    const uid = randomUUID();
    const queue = new SqliteCommandQueue(database);
    for (let index = 0; index < 3; index += 1) await queue.push(uid, { kind: 'interrupt' });
    await queue.acknowledge(uid, 2);
    const rows = database
      .prepare('SELECT cursor FROM session_commands WHERE session_uid = ? ORDER BY cursor')
      .all(uid);
    expect(rows).toEqual([{ cursor: 3 }]);
  });

  it('reports a throwing push listener without failing the push', async () => {
    const { database } = open();
    const onListenerError = vi.fn();
    const queue = new SqliteCommandQueue(database, { onListenerError });
    const uid = randomUUID();
    queue.onPush(uid, () => {
      throw new Error('listener bug');
    });
    expect(await queue.push(uid, { kind: 'interrupt' })).toBe(1);
    await waitUntil(() => onListenerError.mock.calls.length === 1, 'the reported listener error');
  });
});
