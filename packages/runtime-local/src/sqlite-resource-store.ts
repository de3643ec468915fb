/**
 * ResourceStore over SQLite, with the Kubernetes API's semantics (see core/resource-store.ts).
 *
 * Every write runs in one IMMEDIATE transaction that takes the next store-wide resourceVersion,
 * writes the object row and appends the change to `resource_changes`; watchers are notified after
 * the commit. Notifications are in-process: they reach every adapter instance sharing this
 * Database object, not other processes writing the same file (embedded mode has one server).
 */
import { randomUUID } from 'node:crypto';
import type { ResourceKind } from '@ambient/contracts';
import { ConflictError, NotFoundError, ValidationError, isoNow, systemClock } from '@ambient/core';
import type {
  Clock,
  ListOptions,
  ListResult,
  NewObject,
  ResourceStore,
  Stored,
  StoredObject,
  Unsubscribe,
  WatchEvent,
  WatchOptions,
} from '@ambient/core';
import type { SqliteDatabase } from './database.ts';
import { reportListenerError, sharedHub } from './ordered-feed.ts';
import type { ListenerErrorReporter, TopicHub } from './ordered-feed.ts';
import {
  USER_METADATA_FIELDS,
  checkPreconditions,
  decodeContinue,
  encodeContinue,
  sameJson,
  storageNamespace,
  toJsonValue,
  validateNewName,
  validateObject,
} from './resource-objects.ts';
import { ResourceTable } from './resource-table.ts';
import type { ChangeRow, ChangeType } from './resource-table.ts';
import { watchChanges } from './resource-watch.ts';

export interface SqliteResourceStoreOptions {
  clock?: Clock;
  /**
   * How many changes the watch history keeps; a watch from an older resourceVersion throws
   * GoneError and must re-list (as with etcd compaction).
   */
  retainedChanges?: number;
  onListenerError?: ListenerErrorReporter;
}

export const DEFAULT_RETAINED_CHANGES = 10_000;

/** A write that changed nothing is not recorded (no new version, no watch event). */
type WriteOutcome = { change: ChangeRow } | { unchanged: StoredObject };

type StatusOf<T> = T extends { status?: infer S } ? S : unknown;

export class SqliteResourceStore implements ResourceStore {
  readonly #database: SqliteDatabase;
  readonly #table: ResourceTable;
  readonly #hub: TopicHub<ChangeRow>;
  readonly #clock: Clock;
  readonly #retainedChanges: number;
  readonly #onListenerError: ListenerErrorReporter;

  constructor(database: SqliteDatabase, options: SqliteResourceStoreOptions = {}) {
    this.#database = database;
    this.#table = new ResourceTable(database);
    this.#hub = sharedHub<ChangeRow>(database, 'resource-changes');
    this.#clock = options.clock ?? systemClock;
    this.#retainedChanges = options.retainedChanges ?? DEFAULT_RETAINED_CHANGES;
    if (!Number.isInteger(this.#retainedChanges) || this.#retainedChanges < 1) {
      throw new RangeError('retainedChanges must be a positive integer');
    }
    this.#onListenerError = options.onListenerError ?? reportListenerError;
  }

  async create<T>(kind: ResourceKind<T>, object: NewObject<T>): Promise<Stored<T>> {
    const name = object.metadata.name;
    const namespace = storageNamespace(kind, object.metadata.namespace);
    validateNewName(kind, name, namespace);
    const metadata: Record<string, unknown> = { name };
    if (kind.namespaced) metadata['namespace'] = namespace;
    for (const field of USER_METADATA_FIELDS) metadata[field] = object.metadata[field];
    metadata['uid'] = randomUUID();
    // Placeholder until the transaction takes the real version; the schema only needs a string.
    metadata['resourceVersion'] = '0';
    metadata['generation'] = 1;
    metadata['creationTimestamp'] = isoNow(this.#clock);
    const candidate = validateObject(kind, {
      apiVersion: kind.apiVersion,
      kind: kind.kind,
      metadata: metadata as StoredObject['metadata'],
      spec: (object as unknown as StoredObject).spec,
      status: object.status,
    });
    const change = this.#database
      .transaction(() => {
        if (this.#table.find(kind.kind, namespace, name)) {
          throw new ConflictError(`${kind.plural} "${name}" already exists`, {
            reason: 'AlreadyExists',
          });
        }
        return this.#write(kind, candidate, 'ADDED', namespace, true);
      })
      .immediate();
    this.#hub.publish(kind.kind, [change]);
    return JSON.parse(change.object) as Stored<T>;
  }

  async get<T>(
    kind: ResourceKind<T>,
    namespace: string,
    name: string,
  ): Promise<Stored<T> | undefined> {
    const row = this.#table.find(kind.kind, storageNamespace(kind, namespace), name);
    return row ? (JSON.parse(row.object) as Stored<T>) : undefined;
  }

  async list<T>(
    kind: ResourceKind<T>,
    namespace?: string,
    options: ListOptions = {},
  ): Promise<ListResult<T>> {
    const limit = options.limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new ValidationError(`limit must be a non-negative integer, got ${limit}`);
    }
    const pageSize = limit === undefined || limit === 0 ? undefined : limit;
    // One read transaction, so the items and the returned resourceVersion are the same snapshot:
    // a watch started from that version misses nothing and repeats nothing.
    return this.#database.transaction(() => {
      const rows = this.#table.list({
        kind: kind.kind,
        namespace: kind.namespaced ? namespace || undefined : undefined,
        after: options.continue ? decodeContinue(options.continue) : undefined,
        labelSelector: Object.entries(options.labelSelector ?? {}),
        limit: pageSize === undefined ? undefined : pageSize + 1,
      });
      const hasMore = pageSize !== undefined && rows.length > pageSize;
      const page = hasMore ? rows.slice(0, pageSize) : rows;
      const last = page[page.length - 1];
      const result: ListResult<T> = {
        items: page.map((row) => JSON.parse(row.object) as Stored<T>),
        resourceVersion: String(this.#table.state().resourceVersion),
      };
      if (hasMore && last) result.continue = encodeContinue(last);
      return result;
    })();
  }

  async update<T>(kind: ResourceKind<T>, object: Stored<T>): Promise<Stored<T>> {
    const given = object.metadata;
    const namespace = storageNamespace(kind, given.namespace);
    const outcome = this.#database
      .transaction((): WriteOutcome => {
        const current = this.#current(kind, namespace, given.name);
        checkPreconditions(kind, current, given.resourceVersion, given.uid);
        const metadata: Record<string, unknown> = { ...current.metadata };
        for (const field of USER_METADATA_FIELDS) metadata[field] = given[field];
        const next = validateObject(kind, {
          ...current,
          metadata: metadata as StoredObject['metadata'],
          spec: (object as unknown as StoredObject).spec,
        });
        const deleting = current.metadata.deletionTimestamp !== undefined;
        const finalizers = next.metadata.finalizers ?? [];
        if (
          deleting &&
          finalizers.some((finalizer) => !current.metadata.finalizers?.includes(finalizer))
        ) {
          throw new ValidationError(
            `${kind.plural} "${given.name}" is being deleted: no new finalizers can be added`,
          );
        }
        const specChanged = !sameJson(current.spec, next.spec);
        next.metadata.generation = current.metadata.generation + (specChanged ? 1 : 0);
        // Like the API server, a write that changes nothing is not a write: no new version, no event.
        if (sameJson(current, next)) return { unchanged: current };
        if (deleting && finalizers.length === 0) {
          return { change: this.#remove(kind, next, namespace) };
        }
        return { change: this.#write(kind, next, 'MODIFIED', namespace, false) };
      })
      .immediate();
    return this.#finish<T>(kind, outcome);
  }

  async patchStatus<T>(
    kind: ResourceKind<T>,
    namespace: string,
    name: string,
    status: StatusOf<T>,
    options: { resourceVersion?: string } = {},
  ): Promise<Stored<T>> {
    const storedNamespace = storageNamespace(kind, namespace);
    const outcome = this.#database
      .transaction((): WriteOutcome => {
        const current = this.#current(kind, storedNamespace, name);
        checkPreconditions(kind, current, options.resourceVersion, undefined);
        const next = validateObject(kind, { ...current, status });
        if (sameJson(current.status, next.status)) return { unchanged: current };
        return { change: this.#write(kind, next, 'MODIFIED', storedNamespace, false) };
      })
      .immediate();
    return this.#finish<T>(kind, outcome);
  }

  async delete<T>(kind: ResourceKind<T>, namespace: string, name: string): Promise<void> {
    const storedNamespace = storageNamespace(kind, namespace);
    const change = this.#database
      .transaction(() => {
        const current = this.#current(kind, storedNamespace, name);
        if ((current.metadata.finalizers ?? []).length === 0) {
          return this.#remove(kind, current, storedNamespace);
        }
        // Finalizers hold the object: mark it as being deleted and let their owners remove them.
        if (current.metadata.deletionTimestamp !== undefined) return undefined;
        const next = structuredClone(current);
        next.metadata.deletionTimestamp = isoNow(this.#clock);
        return this.#write(kind, next, 'MODIFIED', storedNamespace, false);
      })
      .immediate();
    if (change) this.#hub.publish(kind.kind, [change]);
  }

  watch<T>(
    kind: ResourceKind<T>,
    options: WatchOptions,
    onEvent: (event: WatchEvent<T>) => void,
  ): Unsubscribe {
    return watchChanges({
      database: this.#database,
      table: this.#table,
      hub: this.#hub,
      kind,
      options,
      onEvent,
      onListenerError: this.#onListenerError,
    });
  }

  /** After the commit: wakes watchers and returns what the caller sees. */
  #finish<T>(kind: ResourceKind<T>, outcome: WriteOutcome): Stored<T> {
    if ('unchanged' in outcome) return outcome.unchanged as unknown as Stored<T>;
    this.#hub.publish(kind.kind, [outcome.change]);
    return JSON.parse(outcome.change.object) as Stored<T>;
  }

  #current(kind: ResourceKind, namespace: string, name: string): StoredObject {
    const row = this.#table.find(kind.kind, namespace, name);
    if (!row) throw new NotFoundError(`${kind.plural} "${name}" not found`);
    return JSON.parse(row.object) as StoredObject;
  }

  /** Inside a transaction: stamps the next version, stores the row and records the change. */
  #write(
    kind: ResourceKind,
    object: StoredObject,
    type: ChangeType,
    namespace: string,
    isNew: boolean,
  ): ChangeRow {
    const rv = this.#table.nextResourceVersion(this.#retainedChanges);
    object.metadata.resourceVersion = String(rv);
    const json = JSON.stringify(object);
    const name = object.metadata.name;
    if (isNew) {
      this.#table.insert(
        kind.kind,
        namespace,
        name,
        object.metadata.uid,
        rv,
        object.metadata.labels,
        json,
      );
    } else {
      this.#table.replace(kind.kind, namespace, name, rv, object.metadata.labels, json);
    }
    const change: ChangeRow = { rv, namespace, name, type, object: json };
    this.#table.recordChange(kind.kind, change);
    return change;
  }

  /** Inside a transaction: removes the row; the DELETED event carries the last state at a new version. */
  #remove(kind: ResourceKind, object: StoredObject, namespace: string): ChangeRow {
    const rv = this.#table.nextResourceVersion(this.#retainedChanges);
    const last = toJsonValue(object) as StoredObject;
    last.metadata.resourceVersion = String(rv);
    this.#table.remove(kind.kind, namespace, last.metadata.name);
    const change: ChangeRow = {
      rv,
      namespace,
      name: last.metadata.name,
      type: 'DELETED',
      object: JSON.stringify(last),
    };
    this.#table.recordChange(kind.kind, change);
    return change;
  }
}
