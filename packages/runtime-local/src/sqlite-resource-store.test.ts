import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgenticSessionKind } from '@ambient/contracts';
import type { AgenticSession } from '@ambient/contracts';
import type { WatchEvent } from '@ambient/core';
import {
  describeResourceStoreContract,
  expectPlatformError,
  expectPlatformErrorSync,
  newSession,
  waitForCount,
} from '@ambient/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from './database.ts';
import type { SqliteDatabase } from './database.ts';
import { SqliteResourceStore } from './sqlite-resource-store.ts';

const HISTORY_LIMIT = 20;

function temporaryDatabasePath(): { path: string; remove(): void } {
  const directory = mkdtempSync(join(tmpdir(), 'ambient-store-'));
  return {
    path: join(directory, 'ambient.db'),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

describeResourceStoreContract(
  'SQLite (file database)',
  async () => {
    const file = temporaryDatabasePath();
    const database = openDatabase(file.path);
    return {
      store: new SqliteResourceStore(database, { retainedChanges: HISTORY_LIMIT }),
      cleanup: async () => {
        database.close();
        file.remove();
      },
    };
  },
  { watchHistoryLimit: HISTORY_LIMIT },
);

describe('SqliteResourceStore (adapter-specific)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });
  const openTemporary = (): { path: string; database: SqliteDatabase } => {
    const file = temporaryDatabasePath();
    const database = openDatabase(file.path);
    cleanups.push(file.remove, () => database.open && database.close());
    return { path: file.path, database };
  };

  it('keeps objects, versions and watch history across a reopen', async () => {
    const { path, database } = openTemporary();
    const store = new SqliteResourceStore(database);
    const created = await store.create(AgenticSessionKind, newSession('team', 'kept'));
    const running = await store.patchStatus(AgenticSessionKind, 'team', 'kept', {
      phase: 'Running',
    });
    database.close();

    const reopened = openDatabase(path);
    cleanups.push(() => reopened.close());
    const again = new SqliteResourceStore(reopened);
    expect(await again.get(AgenticSessionKind, 'team', 'kept')).toEqual(running);
    const replayed: WatchEvent<AgenticSession>[] = [];
    again.watch(
      AgenticSessionKind,
      { resourceVersion: created.metadata.resourceVersion },
      (event) => replayed.push(event),
    );
    const next = await again.create(AgenticSessionKind, newSession('team', 'new'));
    expect(BigInt(next.metadata.resourceVersion)).toBeGreaterThan(
      BigInt(running.metadata.resourceVersion),
    );
    await waitForCount(replayed, 2, 'replayed and live changes');
    expect(replayed.map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual([
      'MODIFIED kept',
      'ADDED new',
    ]);
  });

  it('wakes watchers registered through another instance on the same database', async () => {
    const { database } = openTemporary();
    const writer = new SqliteResourceStore(database);
    const reader = new SqliteResourceStore(database);
    const events: WatchEvent<AgenticSession>[] = [];
    reader.watch(AgenticSessionKind, { namespace: 'team' }, (event) => events.push(event));
    await writer.create(AgenticSessionKind, newSession('team', 'shared'));
    await waitForCount(events, 1, 'the change written by the other instance');
    expect(events[0]?.type).toBe('ADDED');
  });

  it('bounds the change log and rejects versions it never issued', async () => {
    const { database } = openTemporary();
    const store = new SqliteResourceStore(database, { retainedChanges: 5 });
    for (let index = 0; index < 12; index += 1) {
      await store.create(AgenticSessionKind, newSession('team', `s${index}`));
    }
    const count = database.prepare('SELECT COUNT(*) AS count FROM resource_changes').get();
    expect(count).toEqual({ count: 5 });
    expectPlatformErrorSync(
      () => store.watch(AgenticSessionKind, { resourceVersion: '6' }, () => {}),
      'gone',
    );
    const fromOldestKept = store.watch(AgenticSessionKind, { resourceVersion: '7' }, () => {});
    fromOldestKept();
    expectPlatformErrorSync(
      () => store.watch(AgenticSessionKind, { resourceVersion: '13' }, () => {}),
      'gone',
    );
    expectPlatformErrorSync(
      () => store.watch(AgenticSessionKind, { resourceVersion: 'abc' }, () => {}),
      'bad_request',
    );
  });

  it('isolates a throwing watcher from the writer and from other watchers', async () => {
    const { database } = openTemporary();
    const onListenerError = vi.fn();
    const store = new SqliteResourceStore(database, { onListenerError });
    const healthy: WatchEvent<AgenticSession>[] = [];
    store.watch(AgenticSessionKind, {}, () => {
      throw new Error('listener bug');
    });
    store.watch(AgenticSessionKind, {}, (event) => healthy.push(event));
    await store.create(AgenticSessionKind, newSession('team', 'a'));
    await store.create(AgenticSessionKind, newSession('team', 'b'));
    await waitForCount(healthy, 2, 'both changes');
    expect(onListenerError).toHaveBeenCalledTimes(2);
  });

  it('takes timestamps from the clock and forbids new finalizers while deleting', async () => {
    const { database } = openTemporary();
    const now = new Date('2030-01-02T03:04:05.000Z');
    const store = new SqliteResourceStore(database, { clock: { now: () => now } });
    await store.create(AgenticSessionKind, newSession('team', 'held', { finalizers: ['a/one'] }));
    await store.delete(AgenticSessionKind, 'team', 'held');
    const terminating = await store.get(AgenticSessionKind, 'team', 'held');
    expect(terminating?.metadata.creationTimestamp).toBe(now.toISOString());
    expect(terminating?.metadata.deletionTimestamp).toBe(now.toISOString());
    // A second delete while finalizers hold the object changes nothing.
    await store.delete(AgenticSessionKind, 'team', 'held');
    expect((await store.get(AgenticSessionKind, 'team', 'held'))?.metadata.resourceVersion).toBe(
      terminating?.metadata.resourceVersion,
    );
    await expectPlatformError(
      store.update(AgenticSessionKind, {
        ...terminating!,
        metadata: { ...terminating!.metadata, finalizers: ['a/one', 'a/two'] },
      }),
      'bad_request',
    );
  });

  it('requires a namespace for namespaced kinds', async () => {
    const { database } = openTemporary();
    const store = new SqliteResourceStore(database);
    await expectPlatformError(store.create(AgenticSessionKind, newSession('', 'x')), 'bad_request');
  });
});
