/**
 * The operator's Kubernetes adapters, built to ask the API server little (measured by
 * bench/cluster-scale.bench.ts):
 * - one pool of keep-alive connections for every client (kube-keep-alive.ts), instead of a TCP and
 *   TLS handshake per request;
 * - sessions and project settings read from watch-fed caches (cached-resource-store.ts), runner
 *   Jobs and Pods from the informers that also feed the controller (cached-job-runtime.ts);
 * - a project's settings and runner secrets read once for many launches, never older than the
 *   launching session's last change (project-read-cache.ts).
 * Each of those files says why its answers can never make the controller start a second Job for
 * a run. Writes all go to the API server as before, with their resourceVersion preconditions.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { AgenticSessionKind, ProjectSettingsKind } from '@ambient/contracts';
import type { Clock } from '@ambient/core';
import type { Logger } from '@ambient/logger';
import { createRunnerLauncher } from '@ambient/reconcilers';
import type { LaunchSettings, SessionReconcilerDeps } from '@ambient/reconcilers';
import {
  CachedJobWorkloadRuntime,
  CachedResourceStore,
  DEFAULT_RUNNER_RESOURCES,
  keepAliveKubeConfig,
  KubePermissionStore,
  KubeResourceStore,
  KubeSecretStore,
  ProjectReadCache,
} from '@ambient/runtime-kube';
import type { CachedJobRuntimeStats, CachedResourceStoreStats, KeepAliveKubeConfig, ProjectReadCacheStats } from '@ambient/runtime-kube';
import type { OperatorConfig } from './cluster-config.ts';

export interface OperatorCacheStats {
  /** Sessions and project settings. */
  cache: CachedResourceStoreStats;
  /** Runner Jobs and Pods. */
  workloads: CachedJobRuntimeStats;
  /** Project settings and runner secrets of launches. */
  projectReads: ProjectReadCacheStats;
}

export interface OperatorAdapters {
  kubeConfig: KeepAliveKubeConfig;
  /** Straight to the API server (for parts that do not go through the caches). */
  kubeStore: KubeResourceStore;
  store: CachedResourceStore;
  secrets: KubeSecretStore;
  permissions: KubePermissionStore;
  runtime: CachedJobWorkloadRuntime;
  launchRunner: SessionReconcilerDeps['launchRunner'];
  /** Lists and starts the watches of the caches (once per leadership term). */
  startCaches(): Promise<void>;
  stopCaches(): void;
  stats(): OperatorCacheStats;
  /** Closes the pooled connections. */
  close(): void;
}

export function createOperatorAdapters(config: OperatorConfig, baseKubeConfig: KubeConfig, logger: Logger, clock: Clock): OperatorAdapters {
  // One pool of keep-alive connections for every client below (watches keep their own).
  const kubeConfig = keepAliveKubeConfig(baseKubeConfig);
  const kubeStore = new KubeResourceStore({ kubeConfig });
  const store = new CachedResourceStore(kubeStore, {
    kinds: [AgenticSessionKind, ProjectSettingsKind],
    onError: (error) => logger.warn({ err: error }, 'operator.cache_error'),
  });
  const secrets = new KubeSecretStore({ kubeConfig });
  const { requests, limits } = config.runner;
  const runtime = new CachedJobWorkloadRuntime({
    kubeConfig,
    image: config.runner.image,
    command: config.runner.command,
    imagePullPolicy: config.runner.imagePullPolicy,
    resources: {
      requests: { ...DEFAULT_RUNNER_RESOURCES.requests, ...definedOnly(requests) },
      limits: { ...DEFAULT_RUNNER_RESOURCES.limits, ...definedOnly(limits) },
    },
    runAsUser: config.runner.runAsUser,
    workspaceSize: config.runner.workspaceSize,
    storageClassName: config.runner.storageClassName,
    onError: (message) => logger.warn({ message }, 'runtime.error'),
  });
  const launchSettings: LaunchSettings = {
    serverUrl: () => config.serverUrl,
    runnerTokenSecret: config.runnerTokenSecret,
    anthropicApiKey: config.anthropicApiKey,
    anthropicBaseUrl: config.anthropicBaseUrl,
    runnerEnv: config.claudeMaxRetries ? { CLAUDE_CODE_MAX_RETRIES: config.claudeMaxRetries } : {},
    store,
    secrets,
    clock,
  };
  const projectReads = new ProjectReadCache({ store: kubeStore, secrets });
  return {
    kubeConfig,
    kubeStore,
    store,
    secrets,
    permissions: new KubePermissionStore({ kubeConfig }),
    runtime,
    launchRunner: (session, runNumber, options) =>
      createRunnerLauncher({ ...launchSettings, ...projectReads.asOf(session.metadata.resourceVersion, store, secrets) })(session, runNumber, options),
    async startCaches() {
      await Promise.all([store.start(), runtime.start()]);
    },
    stopCaches() {
      store.stop();
      runtime.stop();
    },
    stats: () => ({ cache: store.stats(), workloads: runtime.stats(), projectReads: projectReads.stats() }),
    close: () => kubeConfig.close(),
  };
}

function definedOnly(values: { cpu?: string; memory?: string }): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
