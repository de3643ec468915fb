/**
 * Composition root of the embedded platform: SQLite store and event log, child-process runners,
 * the session controller and the HTTP server, all in one process tree.
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AgenticSessionKind, ProjectSettingsKind } from '@ambient/contracts';
import type { ApiDeps } from '@ambient/api-server';
import { attachClientStreams, attachRunnerChannel, createApp, createEmbeddedAuthenticator, createEmbeddedAuthorizer } from '@ambient/api-server';
import { Controller } from '@ambient/controller-kit';
import { systemClock } from '@ambient/core';
import { createLogger } from '@ambient/logger';
import { createProjectSettingsReconciler, createRunnerLauncher, createSessionReconciler, projectSettingsOf, sessionKey } from '@ambient/reconcilers';
import {
  LocalWorkspaceFiles,
  openDatabase,
  ProcessWorkloadRuntime,
  SqliteCommandQueue,
  SqliteEventLog,
  SqliteIdentityStore,
  SqlitePermissionStore,
  SqliteResourceStore,
  SqliteSecretStore,
} from '@ambient/runtime-local';
import type { EmbeddedConfig } from './config.ts';
import { runnerCommand } from './runner-command.ts';

export interface RunningPlatform {
  url: string;
  adminToken: string;
  close(): Promise<void>;
}

const WORKLOAD_SUFFIX = /-run-\d+$/;

export async function startEmbeddedPlatform(
  config: EmbeddedConfig,
  model: { apiKey?: string; baseUrl?: string },
): Promise<RunningPlatform> {
  const logger = createLogger('ambient', { level: config.logLevel });
  const clock = systemClock;
  const database = openDatabase(join(config.dataDir, 'ambient.db'));
  const store = new SqliteResourceStore(database, { clock });
  const events = new SqliteEventLog(database, { clock });
  const commands = new SqliteCommandQueue(database);
  const identities = new SqliteIdentityStore(database, { clock });
  const permissions = new SqlitePermissionStore(database, { clock });
  const secrets = new SqliteSecretStore(database, config.secretsKey, { clock });
  const runtime = new ProcessWorkloadRuntime({
    baseDir: config.dataDir,
    command: await runnerCommand(),
    baseEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: process.env['LANG'] ?? 'C.UTF-8' },
  });

  // Runners learn the server's URL once it listens (the port may be chosen by the OS).
  let serverUrl = config.publicUrl ?? '';
  const launchRunner = createRunnerLauncher({
    serverUrl: () => serverUrl,
    runnerTokenSecret: config.runnerTokenSecret,
    anthropicApiKey: model.apiKey,
    anthropicBaseUrl: model.baseUrl,
    runnerEnv: config.claudeMaxRetries ? { CLAUDE_CODE_MAX_RETRIES: config.claudeMaxRetries } : {},
    store,
    secrets,
    clock,
  });
  const controller = new Controller({
    name: 'agentic-session',
    workers: 4,
    logger,
    reconcile: createSessionReconciler({
      store, runtime, events, clock, launchRunner,
      projectDefaults: async (namespace) => {
        const projectSettings = await projectSettingsOf(store, namespace);
        return {
          timeoutSeconds: projectSettings?.defaultTimeoutSeconds ?? config.defaultTimeoutSeconds,
          inactivityTimeoutSeconds: projectSettings?.defaultInactivityTimeoutSeconds ?? config.defaultInactivityTimeoutSeconds,
          concurrencyLimit: projectSettings?.concurrencyLimit,
        };
      },
    }),
  });
  const onSessionChanged = (namespace: string, name: string): void => controller.enqueue(sessionKey(namespace, name));

  const apiDeps: ApiDeps = {
    store, events, commands, runtime, clock, logger, identities, permissions, secrets,
    mode: 'embedded',
    authenticator: createEmbeddedAuthenticator({ adminToken: config.adminToken, identities }),
    authorizer: createEmbeddedAuthorizer(permissions),
    runnerTokenSecret: config.runnerTokenSecret,
    onSessionChanged,
    // Each session's workspace is a directory of the process runtime (docs/adr/0010).
    workspaceFiles: new LocalWorkspaceFiles((session) => runtime.workspacePath(session.project, session.sessionName)),
    webUiDirectory: config.webDir,
  };
  const server = await listen(createApp(apiDeps).fetch, config.port, config.host);
  const address = server.address() as AddressInfo;
  const url = `http://${config.host}:${address.port}`;
  serverUrl ||= url;
  const channel = attachRunnerChannel(server, apiDeps);
  const clientStreams = attachClientStreams(server, apiDeps);

  const unwatchStore = store.watch(AgenticSessionKind, {}, (event) =>
    onSessionChanged(event.object.metadata.namespace ?? '', event.object.metadata.name),
  );
  const unwatchRuntime = runtime.watch((namespace, workload) =>
    onSessionChanged(namespace, workload.replace(WORKLOAD_SUFFIX, '')),
  );
  controller.start();
  // groupAccess in ProjectSettings becomes group grants (RoleBindings in cluster mode).
  const settingsController = new Controller({
    name: 'project-settings',
    workers: 1,
    logger,
    reconcile: createProjectSettingsReconciler({ store, permissions, clock }),
  });
  const unwatchSettings = store.watch(ProjectSettingsKind, {}, (event) =>
    settingsController.enqueue(`${event.object.metadata.namespace ?? ''}/${event.object.metadata.name}`),
  );
  settingsController.start();
  for (const settings of (await store.list(ProjectSettingsKind)).items) {
    settingsController.enqueue(`${settings.metadata.namespace ?? ''}/${settings.metadata.name}`);
  }
  // Level-triggered resync: every session is looked at once at start-up.
  for (const session of (await store.list(AgenticSessionKind)).items) {
    onSessionChanged(session.metadata.namespace ?? '', session.metadata.name);
  }

  return {
    url,
    adminToken: config.adminToken,
    async close() {
      unwatchStore();
      unwatchRuntime();
      unwatchSettings();
      await settingsController.stop();
      await controller.stop();
      channel.close();
      clientStreams.close();
      await runtime.shutdown();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      database.close();
    },
  };
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], port: number, hostname: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server as Server)) as Server;
    server.once('error', reject);
  });
}
