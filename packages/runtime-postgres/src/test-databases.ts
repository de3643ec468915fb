/**
 * Fresh, migrated databases on a test server, one per test: `CREATE DATABASE … TEMPLATE` copies a
 * database migrated once, which is much faster than migrating each time and isolates every test
 * completely (tables, locks and NOTIFY channels are all per database).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migrate } from './migrations.ts';
import { startTestPostgres } from './test-postgres.ts';
import type { TestPostgres } from './test-postgres.ts';

export interface TestDatabase {
  name: string;
  connectionString: string;
  /** Open a pool on this database (as a second API replica would); closed by `drop()`. */
  openPool(): pg.Pool;
  /** Ends the pools opened here and drops the database. */
  drop(): Promise<void>;
}

export interface TestDatabases {
  /** A migrated database by default; `{ migrated: false }` gives an empty one (migration tests). */
  create(options?: { migrated?: boolean }): Promise<TestDatabase>;
  /** Drops the template and closes the admin connection (not the server). */
  close(): Promise<void>;
}

export function testDatabases(server: TestPostgres): TestDatabases {
  // Random names: an external server (AMBIENT_TEST_POSTGRES_URL) may be shared by parallel runs.
  const prefix = `ambient_test_${randomBytes(4).toString('hex')}`;
  const templateName = `${prefix}_template`;
  const admin = new pg.Pool({ connectionString: server.connectionString, max: 2 });
  let template: Promise<void> | undefined;
  let counter = 0;

  const ensureTemplate = (): Promise<void> => {
    template ??= (async () => {
      await admin.query(`CREATE DATABASE ${templateName}`);
      const pool = new pg.Pool({ connectionString: databaseUrl(server, templateName), max: 1 });
      try {
        await migrate(pool);
      } finally {
        // A template must have no open connections while it is copied.
        await pool.end();
      }
    })();
    return template;
  };

  return {
    async create({ migrated = true } = {}) {
      if (migrated) await ensureTemplate();
      counter += 1;
      const name = `${prefix}_${counter}`;
      await admin.query(
        `CREATE DATABASE ${name} TEMPLATE ${migrated ? templateName : 'template1'}`,
      );
      const connectionString = databaseUrl(server, name);
      const pools: pg.Pool[] = [];
      return {
        name,
        connectionString,
        openPool() {
          const pool = new pg.Pool({ connectionString, max: 10 });
          // An idle connection dropped by the server must not crash the test process.
          pool.on('error', () => undefined);
          pools.push(pool);
          return pool;
        },
        async drop() {
          await Promise.all(pools.splice(0).map((pool) => pool.end()));
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      };
    },
    async close() {
      if (template) await admin.query(`DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * What every PostgreSQL test file needs: its own test server (started before its tests, stopped
 * after them; see test-postgres.ts for why one per file) and fresh databases on it. Call at the top
 * level of the file; `create` is usable inside tests and hooks.
 */
export function useTestDatabases(): Pick<TestDatabases, 'create'> & { server(): TestPostgres } {
  let server: TestPostgres | undefined;
  let databases: TestDatabases | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
    databases = testDatabases(server);
  });
  afterAll(async () => {
    await databases?.close();
    await server?.stop();
  });
  const started = (): { server: TestPostgres; databases: TestDatabases } => {
    if (!server || !databases) throw new Error('the test server did not start');
    return { server, databases };
  };
  return {
    create: (options) => started().databases.create(options),
    /** For what a test does to the server itself (an admin connection that kills listeners, say). */
    server: () => started().server,
  };
}

function databaseUrl(server: TestPostgres, database: string): string {
  const url = new URL(server.connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}
