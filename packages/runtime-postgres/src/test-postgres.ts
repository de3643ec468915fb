/**
 * A real, throwaway PostgreSQL server for tests: Debian's `postgresql` package (installed with apt
 * when missing), a fresh cluster in a temporary directory, on a free port of 127.0.0.1.
 *
 * One server per test file: initdb plus start take about a second here, well under the budget, and
 * a server owned by one vitest worker needs no cross-process lock or reference count. Set
 * AMBIENT_TEST_POSTGRES_URL to use an existing server instead (a CI service container, say); it
 * must allow CREATE DATABASE.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** To the `postgres` database as the superuser `app` (trust authentication, no password). */
  connectionString: string;
  stop(): Promise<void>;
}

const POSTGRES_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'app';

export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env['AMBIENT_TEST_POSTGRES_URL'];
  if (external) return { connectionString: external, stop: async () => undefined };
  const binaries = findBinaries() ?? installPostgres();
  const directory = mkdtempSync(join(tmpdir(), 'ambient-postgres-'));
  const owner = serverOwner();
  if (owner) chownSync(directory, owner.uid, owner.gid);
  const dataDirectory = join(directory, 'data');
  const asOwner = (command: string, args: string[]): void =>
    run(owner ? 'runuser' : command, owner ? ['-u', 'postgres', '--', command, ...args] : args);
  let stopped = false;
  const stopNow = (): void => {
    if (stopped) return;
    stopped = true;
    // "immediate" skips the shutdown checkpoint: the data is thrown away anyway.
    spawnSync(owner ? 'runuser' : join(binaries, 'pg_ctl'), [
      ...(owner ? ['-u', 'postgres', '--', join(binaries, 'pg_ctl')] : []),
      ...['-D', dataDirectory, '-m', 'immediate', '-w', 'stop'],
    ]);
    rmSync(directory, { recursive: true, force: true });
  };
  // A test process that ends without calling stop() must not leave a server running.
  process.once('exit', stopNow);
  try {
    asOwner(join(binaries, 'initdb'), [
      ...['-D', dataDirectory, '-A', 'trust', '-U', SUPERUSER],
      // UTF8 like a production server; no fsync: the cluster lives for one test file.
      ...['-E', 'UTF8', '--locale=C', '--no-sync'],
    ]);
    const port = await startOnFreePort((candidate) =>
      asOwner(join(binaries, 'pg_ctl'), [
        ...['-D', dataDirectory, '-o', serverSettings(candidate, directory)],
        ...['-l', join(directory, 'server.log'), '-w', 'start'],
      ]),
    );
    const connectionString = `postgresql://${SUPERUSER}@127.0.0.1:${port}/postgres`;
    await waitUntilAccepting(connectionString, join(directory, 'server.log'));
    return {
      connectionString,
      stop: async () => {
        process.removeListener('exit', stopNow);
        stopNow();
      },
    };
  } catch (error) {
    process.removeListener('exit', stopNow);
    stopNow();
    throw error;
  }
}

/** The bin directory of the newest installed major version, if any. */
function findBinaries(): string | undefined {
  if (!existsSync(POSTGRES_ROOT)) return undefined;
  const versions = readdirSync(POSTGRES_ROOT)
    .filter((name) => existsSync(join(POSTGRES_ROOT, name, 'bin', 'initdb')))
    .sort((left, right) => Number(right) - Number(left));
  return versions[0] === undefined ? undefined : join(POSTGRES_ROOT, versions[0], 'bin');
}

function installPostgres(): string {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'PostgreSQL is not installed and this process is not root: run `apt-get install -y postgresql` ' +
        'or set AMBIENT_TEST_POSTGRES_URL to a server that allows CREATE DATABASE',
    );
  }
  const environment = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Test files start in parallel: wait for another worker's dpkg lock instead of failing on it.
  const install = (): boolean =>
    spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', 'postgresql'], {
      env: environment,
      stdio: 'pipe',
      encoding: 'utf8',
    }).status === 0;
  if (!install()) {
    // Usually stale package lists: refresh once, then try again.
    spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update'], { env: environment });
    if (!install()) {
      throw new Error(
        'could not install PostgreSQL with `apt-get install -y postgresql` (see apt output by ' +
          'running it by hand); or set AMBIENT_TEST_POSTGRES_URL to an existing server',
      );
    }
  }
  const binaries = findBinaries();
  if (!binaries) throw new Error(`postgresql installed, but no initdb under ${POSTGRES_ROOT}`);
  return binaries;
}

/** initdb refuses to run as root, so root runs the server as the package's `postgres` user. */
function serverOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: 'pipe' });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}${result.stdout}`,
    );
  }
}

function serverSettings(port: number, socketDirectory: string): string {
  return [
    `-p ${port}`,
    `-k ${socketDirectory}`,
    '-c listen_addresses=127.0.0.1',
    // Durability is pointless for a throwaway cluster, and skipping it makes tests faster.
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
}

/** Another process may take the free port before the server binds it: then try another one. */
async function startOnFreePort(start: (port: number) => void): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    try {
      start(port);
      return port;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** A port nobody listens on right now (the server binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAccepting(connectionString: string, logPath: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        const log = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
        throw new Error(`PostgreSQL did not accept connections:\n${log}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
