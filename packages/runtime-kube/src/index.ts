/** Cluster-mode adapters of the core ports (see ../README.md). */
// Resource, permission and secret stores, leader election (runtime-kube: stores).
export { KubeResourceStore } from './kube-resource-store.ts';
export type { KubeResourceStoreOptions } from './kube-resource-store.ts';
export { CachedResourceStore } from './cached-resource-store.ts';
export type { CachedResourceStoreOptions, CachedResourceStoreStats } from './cached-resource-store.ts';
export { ProjectReadCache } from './project-read-cache.ts';
export type { ProjectReadCacheStats, ProjectReadSources } from './project-read-cache.ts';
export { DEFAULT_WATCH_SETTINGS } from './kube-watch.ts';
export type { KubeWatchSettings } from './kube-watch.ts';
export { KubeConnection, kubeConfigWithToken, requestContextCredentials } from './kube-connection.ts';
export type { CredentialsProvider, KubeConnectionOptions } from './kube-connection.ts';
export { toPlatformError } from './kube-errors.ts';
export { DEFAULT_KEEP_ALIVE_SETTINGS, KeepAliveKubeConfig, keepAliveKubeConfig } from './kube-keep-alive.ts';
export type { KeepAliveSettings } from './kube-keep-alive.ts';
export {
  DESCRIPTION_ANNOTATION,
  DISPLAY_NAME_ANNOTATION,
  GENERATION_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MANAGED_LABEL,
  PROJECT_SELECTOR,
} from './project-mapping.ts';
export {
  KubePermissionStore,
  PROJECT_ROLE_PREFIX,
  roleBindingName,
  sanitiseSubject,
} from './kube-permission-store.ts';
export {
  KEY_UPDATED_AT_ANNOTATION,
  KubeSecretStore,
  RUNNER_SECRET_ANNOTATION,
} from './kube-secret-store.ts';
export type { KubeSecretStoreOptions } from './kube-secret-store.ts';
export { LeaderElector } from './leader-elector.ts';
export type { LeaderElectorOptions } from './leader-elector.ts';
// Session runs as Jobs + PVC + Secret (runtime-kube: workloads).
export { JobWorkloadRuntime } from './job-runtime.ts';
export type { JobRuntimeOptions } from './job-runtime.ts';
export { CachedJobWorkloadRuntime } from './cached-job-runtime.ts';
export type { CachedJobRuntimeStats } from './cached-job-runtime.ts';
export {
  AGENTIC_SESSION_OWNER,
  DEFAULT_RUNNER_COMMAND,
  DEFAULT_RUNNER_IMAGE,
  DEFAULT_RUNNER_RESOURCES,
  RUNNER_APP_LABEL,
  claimNameOf,
  secretNameOf,
} from './job-manifests.ts';
export type { SessionOwnerKind } from './job-manifests.ts';
export { workloadStatusOf } from './workload-status.ts';
export { COPIED_FROM_ANNOTATION, copyJobNameOf } from './workload-copy.ts';
// On-demand workspace viewers (docs/adr/0010).
export {
  evictWorkspaceViewer,
  WORKSPACE_VIEWER_APP_LABEL,
  workspaceViewerJob,
  workspaceViewerNameOf,
  workspaceViewerSecret,
  workspaceViewerSecretNameOf,
} from './workspace-viewer.ts';
export type { WorkspaceViewerSpec } from './workspace-viewer.ts';
export { WorkspaceViewerLauncher } from './workspace-viewer-launcher.ts';
export type { WorkspaceViewerLauncherOptions, WorkspaceViewerOutcome } from './workspace-viewer-launcher.ts';
export * from './kube-auth.ts';
