/**
 * The one SQLite database of embedded mode. Every embedded adapter (resources, event log, command
 * queue) shares it, so a single file holds the whole platform state and one backup copies it all.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.ts';
import type { Migration } from './migrations.ts';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

export function openDatabase(
  path: string | ':memory:',
  options: OpenDatabaseOptions = {},
): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path, {
    timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
  });
  try {
    // WAL lets readers proceed while a write commits; NORMAL is durable across process crashes
    // under WAL (only an OS crash can lose the last commits), at a fraction of FULL's fsyncs.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    applyMigrations(database, MIGRATIONS);
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

/** Applies every migration not yet recorded, each in its own transaction. Returns the new version. */
export function applyMigrations(
  database: SqliteDatabase,
  migrations: readonly Migration[],
): number {
  database.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )
  `);
  const current = currentSchemaVersion(database);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    // A newer binary wrote this file; running older code against it would corrupt it silently.
    throw new Error(
      `database schema version ${current} is newer than this build understands (${latest})`,
    );
  }
  const record = database.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    database
      .transaction(() => {
        database.exec(migration.sql);
        record.run(migration.version, migration.name, new Date().toISOString());
      })
      .immediate();
  }
  return currentSchemaVersion(database);
}

export function currentSchemaVersion(database: SqliteDatabase): number {
  const row = database.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as
    { version: number | null } | undefined;
  return row?.version ?? 0;
}
