/**
 * The cluster-mode schema, as numbered migrations applied by `migrate(pool)`. A released migration is
 * never edited: a change is a new entry at the end, so every database upgrades the same way.
 *
 * Seqs and cursors are BIGINT (a long-lived session can outgrow int4 over years of streaming), events
 * and commands JSONB. The primary keys (session_uid, seq) and (session_uid, cursor) are the indexes
 * every read uses: `WHERE session_uid = $1 AND seq > $2 ORDER BY seq` is a single index range scan.
 */
import type { Pool } from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'session-event-log',
    sql: `
      CREATE TABLE session_events (
        session_uid TEXT NOT NULL,
        seq BIGINT NOT NULL,
        producer_seq BIGINT,
        event JSONB NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (session_uid, seq)
      );

      -- The folded SessionSummary, written in the same transaction as the appends it reflects. Its
      -- row is also the per-session lock that serialises appends (SELECT ... FOR UPDATE).
      CREATE TABLE session_summaries (
        session_uid TEXT PRIMARY KEY,
        last_seq BIGINT NOT NULL,
        last_producer_seq BIGINT NOT NULL,
        summary JSONB NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'session-command-queue',
    sql: `
      CREATE TABLE session_command_cursors (
        session_uid TEXT PRIMARY KEY,
        last_cursor BIGINT NOT NULL,
        last_acknowledged BIGINT NOT NULL
      );

      -- Pending commands only: acknowledged ones are deleted with the acknowledgement.
      CREATE TABLE session_commands (
        session_uid TEXT NOT NULL
          REFERENCES session_command_cursors (session_uid) ON DELETE CASCADE,
        cursor BIGINT NOT NULL,
        command JSONB NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (session_uid, cursor)
      );
    `,
  },
  {
    version: 3,
    name: 'workspace-relay',
    sql: `
      -- Workspace file requests on their way to the API replica that holds the session's runner
      -- connection (workspace-relay.ts). A row lives for one request: the requester deletes it.
      CREATE TABLE workspace_relay_requests (
        id TEXT PRIMARY KEY,
        session_uid TEXT NOT NULL,
        request TEXT NOT NULL,
        claimed_by TEXT,
        response TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE INDEX workspace_relay_requests_waiting
        ON workspace_relay_requests (session_uid) WHERE claimed_by IS NULL;
    `,
  },
];

/**
 * An arbitrary constant naming "the ambient schema migration" among advisory locks, so several API
 * replicas starting at once migrate one after the other instead of racing on CREATE TABLE.
 */
const MIGRATION_LOCK_KEY = 0x616d6269; // "ambi"

/** Applies the migrations this database has not seen yet, each in its own transaction. Idempotent. */
export async function migrate(
  pool: Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations',
    );
    const done = new Set(rows.map((row) => row.version));
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.version} (${migration.name}) failed`, {
          cause: error,
        });
      }
      applied.push(migration.version);
    }
    return applied;
  } finally {
    // Session-level advisory locks outlive transactions: unlock, or destroy the connection (which
    // also frees the lock) rather than return a connection that may still hold it to the pool.
    const unlocked = await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).then(
      () => true,
      () => false,
    );
    client.release(!unlocked);
  }
}
