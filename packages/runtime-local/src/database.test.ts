import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, currentSchemaVersion, openDatabase } from './database.ts';
import type { SqliteDatabase } from './database.ts';
import { MIGRATIONS } from './migrations.ts';

describe('openDatabase', () => {
  const directories: string[] = [];
  const databases: SqliteDatabase[] = [];
  const databasePath = (): string => {
    const directory = mkdtempSync(join(tmpdir(), 'ambient-db-'));
    directories.push(directory);
    return join(directory, 'nested', 'ambient.db');
  };
  const open = (path: string): SqliteDatabase => {
    const database = openDatabase(path);
    databases.push(database);
    return database;
  };
  afterEach(() => {
    for (const database of databases.splice(0)) if (database.open) database.close();
    for (const directory of directories.splice(0))
      rmSync(directory, { recursive: true, force: true });
  });

  it('configures WAL, NORMAL sync, foreign keys and a busy timeout', () => {
    const database = open(databasePath());
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.pragma('synchronous', { simple: true })).toBe(1);
    expect(database.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(database.pragma('busy_timeout', { simple: true })).toBe(5_000);
  });

  it('applies every migration once and records it', () => {
    const path = databasePath();
    const database = open(path);
    const latest = MIGRATIONS.at(-1)!.version;
    expect(currentSchemaVersion(database)).toBe(latest);
    const recorded = database
      .prepare('SELECT version, name FROM schema_migrations ORDER BY version')
      .all();
    expect(recorded).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
    database.close();
    const reopened = open(path);
    expect(reopened.prepare('SELECT COUNT(*) AS count FROM schema_migrations').get()).toEqual({
      count: MIGRATIONS.length,
    });
  });

  it('works in memory', () => {
    const database = open(':memory:');
    expect(currentSchemaVersion(database)).toBe(MIGRATIONS.at(-1)!.version);
  });

  it('rolls back a failing migration completely', () => {
    const database = open(':memory:');
    const before = currentSchemaVersion(database);
    const broken = [
      ...MIGRATIONS,
      {
        version: before + 1,
        name: 'broken',
        sql: 'CREATE TABLE half_done (id INTEGER); SELECT * FROM missing_table;',
      },
    ];
    expect(() => applyMigrations(database, broken)).toThrow(/missing_table/);
    expect(currentSchemaVersion(database)).toBe(before);
    const table = database.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get();
    expect(table).toBeUndefined();
  });

  it('refuses a database written by a newer schema', () => {
    const path = databasePath();
    const database = open(path);
    database
      .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
      .run(999, 'from-the-future', new Date().toISOString());
    database.close();
    expect(() => openDatabase(path)).toThrow(/newer than this build/);
  });
});
