import { expect, it } from 'vitest';
import { MIGRATIONS, migrate } from './migrations.ts';
import { useTestDatabases } from './test-databases.ts';

const databases = useTestDatabases();

async function emptyDatabase() {
  return databases.create({ migrated: false });
}

const ALL_VERSIONS = MIGRATIONS.map((migration) => migration.version);

it('applies every migration once and records it in schema_migrations', async () => {
  const database = await emptyDatabase();
  try {
    const pool = database.openPool();
    expect(await migrate(pool)).toEqual(ALL_VERSIONS);
    expect(await migrate(pool)).toEqual([]);
    const { rows } = await pool.query<{ version: number; name: string }>(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
  } finally {
    await database.drop();
  }
});

it('lets replicas starting together migrate without racing', async () => {
  const database = await emptyDatabase();
  try {
    const results = await Promise.all([1, 2, 3].map(() => migrate(database.openPool())));
    // Exactly one replica applied the migrations; the others found them applied.
    expect(results.filter((applied) => applied.length > 0)).toEqual([ALL_VERSIONS]);
  } finally {
    await database.drop();
  }
});

it('creates BIGINT seqs, JSONB payloads and (session_uid, seq) keys', async () => {
  const database = await emptyDatabase();
  try {
    const pool = database.openPool();
    await migrate(pool);
    const columns = await pool.query<{
      table_name: string;
      column_name: string;
      data_type: string;
    }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name IN ('seq', 'producer_seq', 'event', 'cursor', 'command')
       ORDER BY table_name, column_name`,
    );
    expect(columns.rows).toEqual([
      { table_name: 'session_commands', column_name: 'command', data_type: 'jsonb' },
      { table_name: 'session_commands', column_name: 'cursor', data_type: 'bigint' },
      { table_name: 'session_events', column_name: 'event', data_type: 'jsonb' },
      { table_name: 'session_events', column_name: 'producer_seq', data_type: 'bigint' },
      { table_name: 'session_events', column_name: 'seq', data_type: 'bigint' },
    ]);
    const indexes = await pool.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'session_events'`,
    );
    expect(indexes.rows.map((row) => row.indexdef)).toEqual([
      expect.stringContaining(
        'UNIQUE INDEX session_events_pkey ON public.session_events USING btree (session_uid, seq)',
      ),
    ]);
  } finally {
    await database.drop();
  }
});

it('rolls back a failing migration and reports which one', async () => {
  const database = await emptyDatabase();
  try {
    const pool = database.openPool();
    const broken = [...MIGRATIONS, { version: 99, name: 'broken', sql: 'CREATE TABLE x (; ' }];
    await expect(migrate(pool, broken)).rejects.toThrow('migration 99 (broken) failed');
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM schema_migrations');
    expect(rows.map((row) => row.version).sort()).toEqual(ALL_VERSIONS);
  } finally {
    await database.drop();
  }
});
