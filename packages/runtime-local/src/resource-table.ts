/** The SQL of the resource store, as prepared statements over the tables of migration 1. */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';

export interface ResourceRow {
  uid: string;
  resource_version: number;
  object: string;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ChangeRow {
  rv: number;
  namespace: string;
  name: string;
  type: ChangeType;
  /** The object as JSON, with metadata.resourceVersion equal to `rv`. */
  object: string;
}

export interface StoreState {
  resourceVersion: number;
  compactedThrough: number;
}

export interface ListQuery {
  kind: string;
  namespace?: string;
  after?: { namespace: string; name: string };
  labelSelector: [key: string, value: string][];
  /** Rows to fetch; undefined for all. */
  limit?: number;
}

export class ResourceTable {
  readonly #database: SqliteDatabase;
  readonly #listStatements = new Map<string, Statement>();
  readonly #find: Statement<[string, string, string], ResourceRow>;
  readonly #insert: Statement<[string, string, string, string, number, string, string]>;
  readonly #replace: Statement<[number, string, string, string, string, string]>;
  readonly #remove: Statement<[string, string, string]>;
  readonly #state: Statement<[], { resource_version: number; compacted_through: number }>;
  readonly #saveState: Statement<[number, number]>;
  readonly #recordChange: Statement<[number, string, string, string, ChangeType, string]>;
  readonly #compact: Statement<[number]>;
  readonly #changesInKind: Statement<[number, string], ChangeRow>;
  readonly #changesInNamespace: Statement<[number, string, string], ChangeRow>;

  constructor(database: SqliteDatabase) {
    this.#database = database;
    this.#find = database.prepare(
      'SELECT uid, resource_version, object FROM resources WHERE kind = ? AND namespace = ? AND name = ?',
    );
    this.#insert = database.prepare(
      `INSERT INTO resources (kind, namespace, name, uid, resource_version, labels, object)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#replace = database.prepare(
      `UPDATE resources SET resource_version = ?, labels = ?, object = ?
       WHERE kind = ? AND namespace = ? AND name = ?`,
    );
    this.#remove = database.prepare(
      'DELETE FROM resources WHERE kind = ? AND namespace = ? AND name = ?',
    );
    this.#state = database.prepare(
      'SELECT resource_version, compacted_through FROM resource_store_state WHERE id = 1',
    );
    this.#saveState = database.prepare(
      'UPDATE resource_store_state SET resource_version = ?, compacted_through = ? WHERE id = 1',
    );
    this.#recordChange = database.prepare(
      `INSERT INTO resource_changes (rv, kind, namespace, name, type, object)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#compact = database.prepare('DELETE FROM resource_changes WHERE rv <= ?');
    this.#changesInKind = database.prepare(
      `SELECT rv, namespace, name, type, object FROM resource_changes
       WHERE rv > ? AND kind = ? ORDER BY rv`,
    );
    this.#changesInNamespace = database.prepare(
      `SELECT rv, namespace, name, type, object FROM resource_changes
       WHERE rv > ? AND kind = ? AND namespace = ? ORDER BY rv`,
    );
  }

  find(kind: string, namespace: string, name: string): ResourceRow | undefined {
    return this.#find.get(kind, namespace, name);
  }

  insert(
    kind: string,
    namespace: string,
    name: string,
    uid: string,
    rv: number,
    labels: unknown,
    object: string,
  ): void {
    this.#insert.run(kind, namespace, name, uid, rv, JSON.stringify(labels ?? {}), object);
  }

  replace(
    kind: string,
    namespace: string,
    name: string,
    rv: number,
    labels: unknown,
    object: string,
  ): void {
    this.#replace.run(rv, JSON.stringify(labels ?? {}), object, kind, namespace, name);
  }

  remove(kind: string, namespace: string, name: string): void {
    this.#remove.run(kind, namespace, name);
  }

  state(): StoreState {
    const row = this.#state.get();
    if (!row) throw new Error('resource_store_state row is missing (migration 1 not applied?)');
    return { resourceVersion: row.resource_version, compactedThrough: row.compacted_through };
  }

  /**
   * Takes the next resourceVersion and forgets changes beyond the retention window. Must run inside
   * the write transaction that records the change, so versions are gapless in the change log.
   */
  nextResourceVersion(retainedChanges: number): number {
    const state = this.state();
    const rv = state.resourceVersion + 1;
    const compactedThrough = Math.max(state.compactedThrough, rv - retainedChanges);
    if (compactedThrough > state.compactedThrough) this.#compact.run(compactedThrough);
    this.#saveState.run(rv, compactedThrough);
    return rv;
  }

  recordChange(kind: string, change: ChangeRow): void {
    this.#recordChange.run(
      change.rv,
      kind,
      change.namespace,
      change.name,
      change.type,
      change.object,
    );
  }

  changesAfter(kind: string, namespace: string | undefined, afterRv: number): ChangeRow[] {
    return namespace === undefined
      ? this.#changesInKind.all(afterRv, kind)
      : this.#changesInNamespace.all(afterRv, kind, namespace);
  }

  /** Objects (as JSON) in (namespace, name) order. */
  list(query: ListQuery): { namespace: string; name: string; object: string }[] {
    const conditions = ['kind = ?'];
    const parameters: (string | number)[] = [query.kind];
    if (query.namespace !== undefined) {
      conditions.push('namespace = ?');
      parameters.push(query.namespace);
    }
    if (query.after) {
      conditions.push('(namespace, name) > (?, ?)');
      parameters.push(query.after.namespace, query.after.name);
    }
    for (const [key, value] of query.labelSelector) {
      // json_each matches the key literally, so keys such as "ambient-code.io/x" need no escaping.
      conditions.push(
        "EXISTS (SELECT 1 FROM json_each(resources.labels) AS label WHERE label.key = ? AND label.value = ? AND label.type = 'text')",
      );
      parameters.push(key, value);
    }
    parameters.push(query.limit ?? -1);
    const sql = `SELECT namespace, name, object FROM resources WHERE ${conditions.join(' AND ')}
                 ORDER BY namespace, name LIMIT ?`;
    let statement = this.#listStatements.get(sql);
    if (!statement) {
      statement = this.#database.prepare(sql);
      this.#listStatements.set(sql, statement);
    }
    return statement.all(...parameters) as { namespace: string; name: string; object: string }[];
  }
}
