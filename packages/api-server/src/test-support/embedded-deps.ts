/**
 * ApiDeps over real SQLite adapters (in memory), for tests and benchmarks of the HTTP layer.
 * The workload runtime is a recorder: these tests exercise the API, not runners.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { systemClock } from '@ambient/core';
import type { WorkloadRuntime, WorkloadSpec } from '@ambient/core';
import { createLogger } from '@ambient/logger';
import {
  LocalWorkspaceFiles,
  openDatabase,
  SqliteCommandQueue,
  SqliteEventLog,
  SqliteIdentityStore,
  SqlitePermissionStore,
  SqliteResourceStore,
  SqliteSecretStore,
} from '@ambient/runtime-local';
import { createEmbeddedAuthenticator, createEmbeddedAuthorizer } from '../auth/embedded.ts';
import type { ApiDeps } from '../deps.ts';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface RecordingRuntime extends WorkloadRuntime {
  started: WorkloadSpec[];
  deleted: string[];
}

export function recordingRuntime(workspaceRoot?: string): RecordingRuntime {
  const started: WorkloadSpec[] = [];
  const deleted: string[] = [];
  return {
    started,
    deleted,
    ensure: async (spec) => {
      started.push(spec);
      return { name: spec.name, namespace: spec.namespace, phase: 'Pending' };
    },
    get: async () => undefined,
    delete: async (namespace, name) => {
      deleted.push(`${namespace}/${name}`);
    },
    deleteWorkspace: async () => undefined,
    watch: () => () => undefined,
    ...(workspaceRoot ? { workspacePath: (namespace: string, name: string) => join(workspaceRoot, namespace, name) } : {}),
  };
}

export function createTestDeps(overrides: Partial<ApiDeps> = {}, options: { workspaceRoot?: string } = {}): { deps: ApiDeps; close(): void; runtime: RecordingRuntime; changed: string[] } {
  const database = openDatabase(':memory:');
  const identities = new SqliteIdentityStore(database);
  const permissions = new SqlitePermissionStore(database);
  const runtime = recordingRuntime(options.workspaceRoot);
  const changed: string[] = [];
  const deps: ApiDeps = {
    ...(options.workspaceRoot ? { workspaceFiles: new LocalWorkspaceFiles((session) => runtime.workspacePath!(session.project, session.sessionName)) } : {}),
    store: new SqliteResourceStore(database),
    events: new SqliteEventLog(database),
    commands: new SqliteCommandQueue(database),
    runtime,
    identities,
    permissions,
    secrets: new SqliteSecretStore(database, randomBytes(32)),
    mode: 'embedded',
    authenticator: createEmbeddedAuthenticator({ adminToken: TEST_ADMIN_TOKEN, identities }),
    authorizer: createEmbeddedAuthorizer(permissions),
    clock: systemClock,
    logger: createLogger('test', { level: 'silent' }),
    runnerTokenSecret: 'test-runner-secret',
    onSessionChanged: (namespace, name) => changed.push(`${namespace}/${name}`),
    ...overrides,
  };
  return { deps, runtime, changed, close: () => database.close() };
}
