/**
 * Composition root of the operator (cluster mode): the session controller on the operator's own
 * ServiceAccount (cached Kubernetes adapters, operator-adapters.ts), the PostgreSQL event log
 * (the run summaries the controller folds into status), and runner credentials minted with the
 * shared runner-token key. Controllers run only while this replica holds the leader Lease.
 *
 * `node apps/api/src/main-operator.ts` (or the bundled main-operator.mjs) runs it; the configuration
 * is in cluster-config.ts.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import pg from 'pg';
import { AgenticSessionKind, ProjectSettingsKind } from '@ambient/contracts';
import { Controller } from '@ambient/controller-kit';
import type { ControllerStats } from '@ambient/controller-kit';
import { systemClock } from '@ambient/core';
import { createLogger } from '@ambient/logger';
import { createProjectSettingsReconciler, createSessionReconciler, projectSettingsOf, sessionKey } from '@ambient/reconcilers';
import { LeaderElector, WorkspaceViewerLauncher } from '@ambient/runtime-kube';
import { listenForSessionChanges, migrate, PostgresEventLog } from '@ambient/runtime-postgres';
import { loadKubeConfig, loadOperatorConfig } from './cluster-config.ts';
import type { OperatorConfig } from './cluster-config.ts';
import { createOperatorAdapters } from './operator-adapters.ts';
import type { OperatorCacheStats } from './operator-adapters.ts';
import { startWorkspaceViewerService } from './workspace-viewers.ts'; // workspace viewers (docs/adr/0010)

export interface RunningOperator {
  /** Whether this replica currently runs the controllers. */
  isLeading(): boolean;
  /** Counters of the current leadership term's session controller and of the caches (benches, metrics). */
  stats(): OperatorCacheStats & { sessionReconciles?: ControllerStats };
  close(): Promise<void>;
}

export interface OperatorOptions {
  kubeConfig?: KubeConfig;
  /** Called when leadership is lost (main exits so the pod restarts clean). */
  onStoppedLeading?: () => void;
  /** Concurrent session reconciles (default SESSION_WORKERS; benches compare others). */
  sessionWorkers?: number;
  /** Lease timings (tests shorten them). */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

const WORKLOAD_SUFFIX = /-run-\d+$/;
/**
 * Reconciles wait on the API server, not the CPU: many can be in flight (one per key). On the
 * cluster-scale bench 32 took 1,000 sessions to Jobs in 13–15 s against 15–16 s with 16; 64 gained
 * nothing more (the API server's CPU was the limit).
 */
const SESSION_WORKERS = 32;

export async function startOperator(config: OperatorConfig, options: OperatorOptions = {}): Promise<RunningOperator> {
  const logger = createLogger('ambient-operator', { level: config.logLevel });
  const clock = systemClock;
  const baseKubeConfig = options.kubeConfig ?? loadKubeConfig(config.kubeconfigPath);
  const adapters = createOperatorAdapters(config, baseKubeConfig, logger, clock);
  const { kubeConfig, kubeStore, store, permissions, runtime, launchRunner } = adapters;
  const pool = new pg.Pool(config.databaseUrl ? { connectionString: config.databaseUrl } : {});
  await migrate(pool);
  const events = new PostgresEventLog(pool, { clock });

  /** One leadership term: a fresh controller, its watches and the periodic resync. */
  async function lead(signal: AbortSignal): Promise<void> {
    logger.info({}, 'operator.started_leading');
    // A fresh list per term: the watches below are then served from the caches.
    await adapters.startCaches();
    if (signal.aborted) {
      adapters.stopCaches();
      return;
    }
    const controller = new Controller({
      name: 'agentic-session',
      workers: options.sessionWorkers ?? SESSION_WORKERS,
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
    // groupAccess in ProjectSettings → RoleBindings to the ambient-project-* ClusterRoles.
    const settingsController = new Controller({
      name: 'project-settings',
      workers: 1,
      logger,
      reconcile: createProjectSettingsReconciler({ store, permissions, clock }),
    });
    const enqueueSettings = (namespace: string, name: string): void => settingsController.enqueue(`${namespace}/${name}`);
    const enqueue = (namespace: string, name: string): void => controller.enqueue(sessionKey(namespace, name));
    // Hints from the API servers (a runner reported a result, a run started…), so status follows at once.
    const hints = listenForSessionChanges(
      pool,
      { onChange: enqueue, onReconnect: () => void resyncAll().catch((error: unknown) => logger.warn({ err: error }, 'operator.resync_failed')) },
      (error) => logger.warn({ err: error }, 'operator.hint_listener_error'),
    );
    const resyncAll = async (): Promise<void> => {
      for (const session of (await store.list(AgenticSessionKind)).items) {
        enqueue(session.metadata.namespace ?? '', session.metadata.name);
      }
      for (const settings of (await store.list(ProjectSettingsKind)).items) {
        enqueueSettings(settings.metadata.namespace ?? '', settings.metadata.name);
      }
    };
    const unwatchSettings = store.watch(
      ProjectSettingsKind,
      { onError: (error) => logger.error({ err: error }, 'operator.settings_watch_failed') },
      (event) => enqueueSettings(event.object.metadata.namespace ?? '', event.object.metadata.name),
    );
    const unwatchStore = store.watch(
      AgenticSessionKind,
      { onError: (error) => logger.error({ err: error }, 'operator.session_watch_failed') },
      (event) => enqueue(event.object.metadata.namespace ?? '', event.object.metadata.name),
    );
    const unwatchRuntime = runtime.watch((namespace, workload) => enqueue(namespace, workload.replace(WORKLOAD_SUFFIX, '')));
    const resync = config.resyncSeconds > 0
      ? setInterval(() => void resyncAll().catch((error: unknown) => logger.warn({ err: error }, 'operator.resync_failed')), config.resyncSeconds * 1000)
      : undefined;
    const stop = async (): Promise<void> => {
      if (resync) clearInterval(resync);
      unwatchStore();
      unwatchRuntime();
      unwatchSettings();
      await hints.close();
      await settingsController.stop();
      await controller.stop();
      adapters.stopCaches();
      logger.info({}, 'operator.stopped_leading');
    };
    stopLeading = stop;
    sessionController = controller;
    signal.addEventListener('abort', () => void stop(), { once: true });
    controller.start();
    settingsController.start();
    // Level-triggered: every session is looked at once when leadership starts.
    await resyncAll();
  }

  let leading = false;
  let stopLeading: (() => Promise<void>) | undefined;
  let sessionController: Controller | undefined;
  const elector = new LeaderElector({
    // Not the controllers' connection pool: a renewal never queues behind a burst of reconciles.
    kubeConfig: baseKubeConfig,
    namespace: config.leaseNamespace,
    leaseName: config.leaseName,
    identity: `${config.podName}-${randomUUID()}`,
    leaseDurationMs: options.leaseDurationMs ?? 15_000,
    renewDeadlineMs: options.renewDeadlineMs ?? 10_000,
    retryPeriodMs: options.retryPeriodMs ?? 2_000,
    onStartedLeading: (signal) => {
      leading = true;
      lead(signal).catch((error: unknown) => logger.error({ err: error }, 'operator.start_failed'));
    },
    onStoppedLeading: () => {
      leading = false;
      options.onStoppedLeading?.();
    },
    onError: (error) => logger.warn({ err: error }, 'operator.leader_election_error'),
  });
  elector.start();

  // --- Workspace viewers (docs/adr/0010): an API replica asks, the leader starts one. ---
  const workspaceViewers = startWorkspaceViewerService({
    pool,
    logger,
    isLeading: () => leading,
    launcher: new WorkspaceViewerLauncher({
      kubeConfig,
      store: kubeStore,
      serverUrl: config.serverUrl,
      tokenSecret: config.runnerTokenSecret,
      image: config.runner.image,
      command: config.runner.command,
      imagePullPolicy: config.runner.imagePullPolicy,
      runAsUser: config.runner.runAsUser,
    }),
  });
  // --- end of workspace viewers ---

  return {
    isLeading: () => leading,
    stats: () => ({ ...adapters.stats(), sessionReconciles: sessionController?.stats() }),
    async close() {
      await elector.stop();
      await stopLeading?.();
      await workspaceViewers.close(); // workspace viewers (docs/adr/0010)
      await events.close();
      await pool.end();
      adapters.close();
    },
  };
}

async function main(): Promise<void> {
  const config = loadOperatorConfig(process.env);
  let stopping = false;
  const shutdown = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await operator.close();
    process.exit(code);
  };
  // Losing the Lease: exit and let Kubernetes restart the pod as a clean candidate.
  const operator = await startOperator(config, { onStoppedLeading: () => void shutdown(0) });
  console.log(`Ambient Code Platform operator (cluster mode): candidate for Lease ${config.leaseNamespace}/${config.leaseName}`);
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
