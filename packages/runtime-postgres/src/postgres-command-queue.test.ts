import { randomUUID } from 'node:crypto';
import { describeCommandQueueContract, sleep, waitUntil } from '@ambient/testing';
import { useCleanups } from '@ambient/testing/cleanups';
import { describe, expect, it, vi } from 'vitest';
import { PostgresCommandQueue } from './postgres-command-queue.ts';
import type { PostgresCommandQueueOptions } from './postgres-command-queue.ts';
import { useTestDatabases } from './test-databases.ts';

const databases = useTestDatabases();

describeCommandQueueContract('PostgreSQL', async () => {
  const database = await databases.create();
  const queue = new PostgresCommandQueue(database.openPool());
  return {
    queue,
    cleanup: async () => {
      await queue.close();
      await database.drop();
    },
  };
});

describe('PostgresCommandQueue (adapter-specific)', () => {
  const defer = useCleanups();
  async function open(options: PostgresCommandQueueOptions = {}) {
    const database = await databases.create();
    const pool = database.openPool();
    const queue = new PostgresCommandQueue(pool, options);
    defer(() => database.drop());
    defer(() => queue.close());
    return { pool, queue };
  }

  it('deletes commands once acknowledged and stores them as JSONB', async () => {
    const { pool, queue } = await open();
    const uid = randomUUID();
    for (let index = 0; index < 3; index += 1) await queue.push(uid, { kind: 'interrupt' });
    await queue.acknowledge(uid, 2);
    const { rows } = await pool.query(
      'SELECT cursor, command FROM session_commands WHERE session_uid = $1 ORDER BY cursor',
      [uid],
    );
    expect(rows).toEqual([{ cursor: '3', command: { kind: 'interrupt' } }]);
  });

  it('reports a throwing push listener without failing the push', async () => {
    const onListenerError = vi.fn();
    const { queue } = await open({ onListenerError });
    const uid = randomUUID();
    defer(
      queue.onPush(uid, () => {
        throw new Error('listener bug');
      }),
    );
    expect(await queue.push(uid, { kind: 'interrupt' })).toBe(1);
    await waitUntil(() => onListenerError.mock.calls.length === 1, 'the reported listener error');
    expect(onListenerError.mock.calls[0]?.[0]).toMatchObject({ message: 'listener bug' });
  });

  it('wakes a listener that subscribes while a command is still pending', async () => {
    const { queue } = await open();
    const uid = randomUUID();
    await queue.push(uid, { kind: 'interrupt' });
    await queue.push(uid, { kind: 'interrupt' });
    await queue.acknowledge(uid, 1);
    let notified = 0;
    defer(queue.onPush(uid, () => (notified += 1)));
    await waitUntil(() => notified === 1, 'the wake-up for the pending command');
    await queue.acknowledge(uid, 2);
    let quiet = 0;
    defer(queue.onPush(uid, () => (quiet += 1)));
    await sleep(150);
    expect({ notified, quiet }).toEqual({ notified: 1, quiet: 0 });
  });
});
