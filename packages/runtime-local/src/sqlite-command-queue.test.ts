import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeCommandQueueContract, waitUntil } from '@ambient/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from './database.ts';
import type { SqliteDatabase } from './database.ts';
import { SqliteCommandQueue } from './sqlite-command-queue.ts';

function temporaryDatabase(): { path: string; database: SqliteDatabase; remove(): void } {
  const directory = mkdtempSync(join(tmpdir(), 'ambient-commands-'));
  const path = join(directory, 'ambient.db');
  return {
    path,
    database: openDatabase(path),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

describeCommandQueueContract('SQLite (file database)', async () => {
  const file = temporaryDatabase();
  return {
    queue: new SqliteCommandQueue(file.database),
    cleanup: async () => {
      file.database.close();
      file.remove();
    },
  };
});

describe('SqliteCommandQueue (adapter-specific)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });
  const open = () => {
    const file = temporaryDatabase();
    cleanups.push(file.remove, () => file.database.open && file.database.close());
    return file;
  };

  it('keeps cursors, pending commands and acknowledgements across a reopen', async () => {
    const { path, database } = open();
    const uid = randomUUID();
    const queue = new SqliteCommandQueue(database);
    await queue.push(uid, { kind: 'user_message', messageId: 'a', text: 'first' });
    await queue.push(uid, { kind: 'interrupt' });
    await queue.acknowledge(uid, 1);
    database.close();

    const reopened = openDatabase(path);
    cleanups.push(() => reopened.close());
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
