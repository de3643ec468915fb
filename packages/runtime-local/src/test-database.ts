/**
 * SQLite databases for the adapter tests: a file in a temporary directory (not `:memory:`, so a
 * test can close and reopen it, as a restart would), removed with its directory afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useCleanups } from '@ambient/testing/cleanups';
import { openDatabase } from './database.ts';
import type { SqliteDatabase } from './database.ts';

export interface TemporaryDatabase {
  path: string;
  database: SqliteDatabase;
  /** Closes the database (when still open) and removes its directory. */
  remove(): void;
}

export function temporaryDatabase(): TemporaryDatabase {
  const directory = mkdtempSync(join(tmpdir(), 'ambient-sqlite-'));
  const path = join(directory, 'ambient.db');
  const database = openDatabase(path);
  return {
    path,
    database,
    remove: () => {
      if (database.open) database.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * A contract-suite harness over a fresh file database: `build` makes the adapter(s) under test
 * (`{ log }`, `{ queue }`), and the harness's cleanup removes the database.
 */
export function temporaryDatabaseHarness<Adapters extends object>(
  build: (database: SqliteDatabase) => Adapters,
): () => Promise<Adapters & { cleanup(): Promise<void> }> {
  return async () => {
    const file = temporaryDatabase();
    return { ...build(file.database), cleanup: async () => file.remove() };
  };
}

/**
 * For adapter-specific tests: `open()` gives a fresh file database that is removed after the
 * test; `defer` registers more cleanups (a reopened database, say), run in reverse order.
 */
export function useTemporaryDatabases(): {
  open(): TemporaryDatabase;
  defer(cleanup: () => unknown): void;
} {
  const defer = useCleanups();
  return {
    open() {
      const file = temporaryDatabase();
      defer(file.remove);
      return file;
    },
    defer,
  };
}
