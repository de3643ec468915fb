/** What the API server needs from the outside world; both modes pass their adapters in here. */
import type { Project } from '@ambient/contracts';
import type {
  CommandQueue,
  Clock,
  EventLog,
  IdentityStore,
  PermissionStore,
  ResourceStore,
  SecretStore,
  Stored,
  WorkloadRuntime,
  WorkspaceFiles,
} from '@ambient/core';
import type { Logger } from '@ambient/logger';
import type { Authenticator, Authorizer, Identity } from './auth/middleware.ts';

export interface ApiDeps {
  store: ResourceStore;
  events: EventLog;
  commands: CommandQueue;
  runtime: WorkloadRuntime;
  identities: IdentityStore;
  permissions: PermissionStore;
  secrets: SecretStore;
  /** Reported by GET /api/cluster-info. */
  mode: 'embedded' | 'cluster';
  authenticator: Authenticator;
  authorizer: Authorizer;
  clock: Clock;
  logger: Logger;
  /** HMAC secret for runner tokens (see core/runner-token.ts). */
  runnerTokenSecret: string;
  /** Tells the controllers a session needs a look (desired state changed, runner reported). */
  onSessionChanged(namespace: string, name: string): void;
  /** Where the built web UI is; served at `/` when set. */
  webUiDirectory?: string;
  /**
   * Cluster mode: creates the project (its Namespace) with the server's own identity and makes the
   * creator its admin, because callers usually may not create namespaces. When absent (embedded),
   * POST /api/projects creates the Project through `store` and grants through `permissions`.
   * Conflicts surface as the store's ConflictError.
   */
  projectCreator?: (name: string, spec: Project['spec'], identity: Identity) => Promise<Stored<Project>>;
  /**
   * Session workspace files (docs/adr/0010): embedded, LocalWorkspaceFiles (the runtime's workspace
   * directories); cluster, RunnerWorkspaceFiles (over the runner channel). Absent: the routes answer 503.
   */
  workspaceFiles?: WorkspaceFiles;
  /** Interval of SSE keepalive comments; proxies drop idle connections without them. */
  keepaliveMs?: number;
}

export const DEFAULT_KEEPALIVE_MS = 15_000;
export const MAX_BODY_BYTES = 1024 * 1024;
