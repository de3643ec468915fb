/** `watch` of the SQLite resource store: replay from `resource_changes`, then follow live writes. */
import type { ResourceKind } from '@ambient/contracts';
import { GoneError } from '@ambient/core';
import type { Stored, Unsubscribe, WatchEvent, WatchOptions } from '@ambient/core';
import type { SqliteDatabase } from './database.ts';
import { OrderedFeed } from './ordered-feed.ts';
import type { ListenerErrorReporter, TopicHub } from './ordered-feed.ts';
import { parseResourceVersion } from './resource-objects.ts';
import type { ChangeRow, ResourceTable } from './resource-table.ts';

export interface WatchChangesInput<T> {
  database: SqliteDatabase;
  table: ResourceTable;
  /** Topic = kind name; carries every committed change of that kind. */
  hub: TopicHub<ChangeRow>;
  kind: ResourceKind<T>;
  options: WatchOptions;
  onEvent: (event: WatchEvent<T>) => void;
  onListenerError: ListenerErrorReporter;
}

export function watchChanges<T>(input: WatchChangesInput<T>): Unsubscribe {
  const { kind, table, onEvent, onListenerError } = input;
  const namespace = kind.namespaced ? input.options.namespace || undefined : undefined;
  const fromVersion = input.options.resourceVersion
    ? parseResourceVersion(input.options.resourceVersion)
    : undefined;
  const feed = new OrderedFeed<ChangeRow>({
    afterKey: fromVersion ?? table.state().resourceVersion,
    keyOf: (change) => change.rv,
    deliver: (changes) => {
      for (const change of changes) {
        try {
          onEvent({ type: change.type, object: JSON.parse(change.object) as Stored<T> });
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    onError: onListenerError,
  });
  // Subscribing and reading the replay happen in one synchronous step, so no write can fall
  // between them; the feed drops any overlap by resourceVersion.
  const unsubscribe = input.hub.subscribe(kind.kind, (changes) =>
    feed.push(
      namespace === undefined
        ? changes
        : changes.filter((change) => change.namespace === namespace),
    ),
  );
  const stop = (): void => {
    unsubscribe();
    feed.close();
  };
  if (fromVersion !== undefined) {
    try {
      feed.push(readReplay(input.database, table, kind, namespace, fromVersion));
    } catch (error) {
      stop();
      throw error;
    }
  }
  return stop;
}

function readReplay(
  database: SqliteDatabase,
  table: ResourceTable,
  kind: ResourceKind,
  namespace: string | undefined,
  fromVersion: number,
): ChangeRow[] {
  return database.transaction(() => {
    const state = table.state();
    if (fromVersion < state.compactedThrough) {
      throw new GoneError(
        `too old resource version: ${fromVersion} (watch history starts after ${state.compactedThrough})`,
      );
    }
    if (fromVersion > state.resourceVersion) {
      // A version this store never issued (e.g. from before the database file was replaced): the
      // caller's cache cannot be trusted, so make it re-list exactly as for a too-old version.
      throw new GoneError(
        `resource version ${fromVersion} is newer than the store (${state.resourceVersion})`,
      );
    }
    return table.changesAfter(kind.kind, namespace, fromVersion);
  })();
}
