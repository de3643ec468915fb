/**
 * Composition root of the API server in cluster mode (ADR-0002): the same routes, runner channel and
 * client streams as the embedded platform, on the Kubernetes and PostgreSQL adapters.
 *
 * Identity: every store, permission and secret call of a request is made with the CALLER's token
 * (`requestContextCredentials`, no fallback). The server's own ServiceAccount is used only where
 * ADR-0002 allows it: TokenReviews (authentication), the runner channel's session read (runners are
 * not Kubernetes users), listing managed namespaces (each then filtered by the caller's own
 * SelfSubjectAccessReview), and creating a project's Namespace plus its creator's admin RoleBinding.
 *
 * Users come from the cluster's identity provider (OIDC, OpenShift OAuth, `kubectl create token`):
 * user management and project access keys answer 503 in this mode.
 *
 * Workspace files travel over the runner channel (docs/adr/0010): the server asks the operator for a
 * workspace viewer through PostgreSQL, never creating pods itself.
 *
 * `node apps/api/src/main-cluster.ts` (or the bundled main-cluster.mjs) runs it; the configuration
 * is in cluster-config.ts.
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import pg from 'pg';
import { ProjectKind } from '@ambient/contracts';
import type { Project } from '@ambient/contracts';
import type { ApiDeps } from '@ambient/api-server';
import { attachClientStreams, attachRunnerChannel, createApp, RunnerWorkspaceFiles, WorkspaceConnections } from '@ambient/api-server';
import { currentRequestContext } from '@ambient/api-server/request-context';
import { ForbiddenError, PlatformError, systemClock } from '@ambient/core';
import type { Identity, IdentityStore, Stored } from '@ambient/core';
import { createLogger } from '@ambient/logger';
import {
  createKubeAuthenticator,
  createKubeAuthorizer,
  JobWorkloadRuntime,
  KubePermissionStore,
  KubeResourceStore,
  KubeSecretStore,
  requestContextCredentials,
} from '@ambient/runtime-kube';
import { migrate, notifySessionChanged, PostgresCommandQueue, PostgresEventLog, PostgresWorkspaceRelay, requestWorkspaceViewer } from '@ambient/runtime-postgres';
import { CallerResourceStore, withoutProjectCleanup } from './caller-stores.ts';
import { loadClusterApiConfig, loadKubeConfig } from './cluster-config.ts';
import type { ClusterApiConfig } from './cluster-config.ts';

export interface RunningClusterApi {
  url: string;
  close(): Promise<void>;
}

/** How long project creation waits for the creator's new RoleBinding to be effective (RBAC caches). */
const ROLE_PROPAGATION_TIMEOUT_MS = 10_000;

export async function startClusterApiServer(
  config: ClusterApiConfig,
  options: { kubeConfig?: KubeConfig } = {},
): Promise<RunningClusterApi> {
  const logger = createLogger('ambient-api', { level: config.logLevel });
  const clock = systemClock;
  const kubeConfig = options.kubeConfig ?? loadKubeConfig(config.kubeconfigPath);
  const credentials = requestContextCredentials(currentRequestContext);

  // The server's own identity (ADR-0002 exceptions only; see the header).
  const serverStore = new KubeResourceStore({ kubeConfig });
  const serverPermissions = new KubePermissionStore({ kubeConfig });
  const authorizer = createKubeAuthorizer({
    kubeConfig,
    callerToken: () => currentRequestContext()?.bearerToken,
    anyoneCreatesProjects: config.anyoneCreatesProjects,
  });
  // Everything a request does, as the caller.
  const store = new CallerResourceStore(new KubeResourceStore({ kubeConfig, credentials }), serverStore, async (project) => {
    const context = currentRequestContext();
    if (!context || (await authorizer.roleIn(context.identity, project)) !== 'admin') {
      throw new ForbiddenError(`only an admin of project "${project}" may change or delete it`);
    }
  });
  const permissions = withoutProjectCleanup(new KubePermissionStore({ kubeConfig, credentials }));
  const secrets = new KubeSecretStore({ kubeConfig, credentials });

  const pool = new pg.Pool(config.databaseUrl ? { connectionString: config.databaseUrl } : {});
  await migrate(pool);
  const events = new PostgresEventLog(pool, { clock });
  const commands = new PostgresCommandQueue(pool);

  const projectCreator = async (name: string, spec: Project['spec'], identity: Identity): Promise<Stored<Project>> => {
    const project = await serverStore.create(ProjectKind, {
      metadata: { name, annotations: { 'ambient-code.io/created-by': identity.userId } },
      spec,
    });
    try {
      await serverPermissions.grant(name, { subjectType: 'user', subjectName: identity.userId, role: 'admin' });
      await waitUntilAdmin(() => authorizer.roleIn(identity, name));
    } catch (error) {
      await serverStore.delete(ProjectKind, '', name).catch(() => undefined);
      throw error;
    }
    return project;
  };

  // Workspace files (docs/adr/0010): the runner (or an on-demand workspace viewer, started by the
  // operator) serves them over its channel; PostgreSQL relays requests to the replica it is
  // connected to.
  const workspaceConnections = new WorkspaceConnections();
  const workspaceRelay = new PostgresWorkspaceRelay(pool, { onError: (error) => logger.warn({ err: error }, 'workspace_relay.error') });
  const workspaceFiles = new RunnerWorkspaceFiles({
    connections: workspaceConnections,
    relay: workspaceRelay,
    logger,
    requestViewer: (session) => requestWorkspaceViewer(pool, session.project, session.sessionName),
  });

  const apiDeps: ApiDeps = {
    store, events, commands, clock, logger, permissions, secrets,
    // Session deletion stops the run's Job (and the workspace viewer) and deletes the workspace PVC.
    runtime: new JobWorkloadRuntime({ kubeConfig }),
    workspaceFiles,
    identities: clusterIdentityStore(),
    mode: 'cluster',
    authenticator: withoutEmptyGroups(createKubeAuthenticator({ kubeConfig })),
    authorizer,
    runnerTokenSecret: config.runnerTokenSecret,
    // The operator (another process) watches sessions and Jobs itself.
    // The operator runs in another process: tell it through PostgreSQL (a lost hint is covered by its resync).
    onSessionChanged: (namespace, name) => {
      notifySessionChanged(pool, namespace, name).catch((error: unknown) => logger.warn({ err: error }, 'operator_hint.failed'));
    },
    projectCreator,
  };
  // The runner channel checks sessions as the server: runners hold no Kubernetes identity.
  const runnerDeps: ApiDeps = { ...apiDeps, store: serverStore };

  const server = await listen(createApp(apiDeps).fetch, config.port, config.host);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const channel = attachRunnerChannel(server, runnerDeps, { workspaceConnections });
  const clientStreams = attachClientStreams(server, apiDeps);
  logger.info({ url }, 'api.listening');

  return {
    url,
    async close() {
      channel.close();
      clientStreams.close();
      workspaceFiles.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([events.close(), commands.close(), workspaceRelay.close()]);
      await pool.end();
    },
  };
}

/**
 * Drops empty group names from TokenReview results: a static token file with an empty groups column
 * yields the group "" (a misconfigured provider can do the same), which is meaningless and which the
 * AgenticSession CRD rejects in `spec.userContext.groups`.
 */
function withoutEmptyGroups(authenticator: ApiDeps['authenticator']): ApiDeps['authenticator'] {
  return {
    async authenticate(token) {
      const identity = await authenticator.authenticate(token);
      return identity && { ...identity, groups: identity.groups.filter((group) => group !== '') };
    },
  };
}

async function waitUntilAdmin(roleIn: () => Promise<string | undefined>): Promise<void> {
  const deadline = Date.now() + ROLE_PROPAGATION_TIMEOUT_MS;
  while ((await roleIn()) !== 'admin') {
    if (Date.now() > deadline) throw new PlatformError('unavailable', 'the project was created but its admin binding is not effective yet; retry shortly', { isRetryable: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}


/**
 * Users, passwords and platform tokens do not exist in cluster mode: the cluster's identity provider
 * issues the tokens (TokenReview checks them). Reads that routes make in passing answer "none";
 * everything that would manage users or tokens is a clear 503.
 */
export function clusterIdentityStore(): IdentityStore {
  const unavailable = (): never => {
    throw new PlatformError(
      'unavailable',
      "user and token management is not available in cluster mode: users and tokens come from the cluster's identity provider",
    );
  };
  return {
    createUser: async () => unavailable(),
    getUser: async () => undefined,
    listUsers: async () => unavailable(),
    verifyPassword: async () => unavailable(),
    issueToken: async () => unavailable(),
    resolveToken: async () => undefined,
    listTokens: async () => [],
    revokeToken: async () => unavailable(),
    deleteProjectTokens: async () => undefined,
  };
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], port: number, hostname: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server as Server)) as Server;
    server.once('error', reject);
  });
}

async function main(): Promise<void> {
  const api = await startClusterApiServer(loadClusterApiConfig(process.env));
  console.log(`Ambient Code Platform API (cluster mode) listening on ${api.url}`);
  let stopping = false;
  const shutdown = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await api.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
