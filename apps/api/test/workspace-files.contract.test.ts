/**
 * The cluster adapter of WorkspaceFiles (RunnerWorkspaceFiles) against the shared contract, with
 * real parts: the runner channel on a real HTTP server, the REAL runner process in serve-workspace
 * mode (started on demand, as the operator would, when the first request finds no runner), and
 * for several replicas the PostgreSQL relay: the viewer connects to replica A while the requests
 * are made on replica B.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgenticSessionKind, ProjectKind, RUNNER_ENV, RUNNER_MODE } from '@ambient/contracts';
import { mintWorkspaceViewerToken } from '@ambient/core';
import type { WorkspaceSession } from '@ambient/core';
import type { ApiDeps } from '@ambient/api-server';
import { attachRunnerChannel, RunnerWorkspaceFiles, WorkspaceConnections } from '@ambient/api-server';
import { createTestDeps } from '@ambient/api-server/test-support/embedded-deps';
import { PostgresWorkspaceRelay } from '@ambient/runtime-postgres';
import { testDatabases } from '@ambient/runtime-postgres/test-databases';
import { startTestPostgres } from '@ambient/runtime-postgres/test-postgres';
import { describeWorkspaceFilesContract } from '@ambient/testing';
import type { WorkspaceFilesHarness } from '@ambient/testing';
import { sourceRunnerCommand } from '../src/runner-command.ts';

const SECRET = 'workspace-contract-runner-token-key';

interface Replica {
  url: string;
  connections: WorkspaceConnections;
  close(): Promise<void>;
}

async function startReplica(deps: ApiDeps): Promise<Replica> {
  const connections = new WorkspaceConnections();
  const server: Server = createServer((_request, response) => response.end());
  const channel = attachRunnerChannel(server, deps, { workspaceConnections: connections });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections,
    async close() {
      channel.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A session that has run, in the store the channel checks runners against. */
async function createSession(deps: ApiDeps): Promise<WorkspaceSession> {
  await deps.store.create(ProjectKind, { metadata: { name: 'alpha' }, spec: {} });
  const created = await deps.store.create(AgenticSessionKind, { metadata: { name: 'session-1', namespace: 'alpha' }, spec: { interactive: false } });
  await deps.store.patchStatus(AgenticSessionKind, 'alpha', 'session-1', { phase: 'Completed', runCount: 1 }, { resourceVersion: created.metadata.resourceVersion });
  return { project: 'alpha', sessionName: 'session-1', sessionUid: created.metadata.uid, runCount: 1 };
}

/** What the operator does on request: start the runner in serve-workspace mode (one at a time). */
function viewerStarter(directory: string, serverUrl: () => string) {
  let viewer: ChildProcess | undefined;
  let starts = 0;
  return {
    get starts() {
      return starts;
    },
    async start(session: WorkspaceSession): Promise<void> {
      if (viewer && viewer.exitCode === null) return;
      starts += 1;
      const [command, ...args] = sourceRunnerCommand();
      viewer = spawn(command!, args, {
        cwd: directory,
        stdio: 'ignore',
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          [RUNNER_ENV.mode]: RUNNER_MODE.serveWorkspace,
          [RUNNER_ENV.serverUrl]: serverUrl(),
          [RUNNER_ENV.token]: mintWorkspaceViewerToken({ project: session.project, sessionName: session.sessionName, sessionUid: session.sessionUid, exp: Math.floor(Date.now() / 1000) + 3600 }, SECRET),
          [RUNNER_ENV.workspaceDir]: directory,
          [RUNNER_ENV.viewerIdleSeconds]: '120',
        },
      });
    },
    stop(): void {
      viewer?.kill('SIGKILL');
    },
  };
}

describeWorkspaceFilesContract('cluster, one replica (runner channel, on-demand viewer process)', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'workspace-contract-viewer-'));
  const { deps, close } = createTestDeps({ runnerTokenSecret: SECRET });
  const session = await createSession(deps);
  const replica = await startReplica(deps);
  const viewer = viewerStarter(directory, () => replica.url);
  const files = new RunnerWorkspaceFiles({ connections: replica.connections, logger: deps.logger, requestViewer: (target) => viewer.start(target) });
  return {
    files,
    session,
    directory,
    async cleanup() {
      viewer.stop();
      files.close();
      await replica.close();
      close();
      rmSync(directory, { recursive: true, force: true });
    },
  } satisfies WorkspaceFilesHarness;
});

describeWorkspaceFilesContract('cluster, two replicas (viewer on A, requests on B, PostgreSQL relay)', async () => {
  const postgres = await startTestPostgres();
  const databases = testDatabases(postgres);
  const database = await databases.create();
  const directory = mkdtempSync(join(tmpdir(), 'workspace-contract-relay-'));
  const { deps, close } = createTestDeps({ runnerTokenSecret: SECRET });
  const session = await createSession(deps);
  const [replicaA, replicaB] = [await startReplica(deps), await startReplica(deps)];
  const onError = (error: unknown) => deps.logger.warn({ err: error }, 'relay');
  const relayA = new PostgresWorkspaceRelay(database.openPool(), { onError, pollIntervalMs: 100, reannounceIntervalMs: 200 });
  const relayB = new PostgresWorkspaceRelay(database.openPool(), { onError, pollIntervalMs: 100, reannounceIntervalMs: 200 });
  const viewer = viewerStarter(directory, () => replicaA.url);
  const requestViewer = (target: WorkspaceSession) => viewer.start(target);
  const filesA = new RunnerWorkspaceFiles({ connections: replicaA.connections, relay: relayA, logger: deps.logger, requestViewer });
  const filesB = new RunnerWorkspaceFiles({ connections: replicaB.connections, relay: relayB, logger: deps.logger, requestViewer });
  return {
    files: filesB,
    session,
    directory,
    async cleanup() {
      viewer.stop();
      filesA.close();
      filesB.close();
      await Promise.all([relayA.close(), relayB.close()]);
      await Promise.all([replicaA.close(), replicaB.close()]);
      close();
      await database.drop();
      await databases.close();
      await postgres.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  } satisfies WorkspaceFilesHarness;
});
