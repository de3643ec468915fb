/**
 * WorkloadRuntime: starts, observes and stops the runner of one session run.
 * Embedded: a child process with a workspace directory. Cluster: a batch/v1 Job with a PVC.
 *
 * `ensure` is idempotent by `name` (a deterministic name per run), so a controller that crashes
 * between "decide to start" and "record that it started" never starts two runners.
 */
import type { Unsubscribe } from './resource-store.ts';

export interface WorkloadSpec {
  /** Deterministic per session run, e.g. `<session>-run-<n>`. */
  name: string;
  namespace: string;
  sessionName: string;
  sessionUid: string;
  /** Survives across runs of the same session (resume, continuation). */
  workspaceName: string;
  env: Record<string, string>;
  /** Values that must not appear in a Job spec (cluster mode puts them in a Secret). */
  secretEnv: Record<string, string>;
  /** Hard limit for the run; the runtime kills the workload when it is exceeded. */
  activeDeadlineSeconds?: number;
  labels?: Record<string, string>;
}

export type WorkloadPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface WorkloadStatus {
  name: string;
  namespace: string;
  phase: WorkloadPhase;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  /** CamelCase, e.g. DeadlineExceeded, Killed, ImagePullBackOff. */
  reason?: string;
  message?: string;
}

export interface WorkloadRuntime {
  ensure(spec: WorkloadSpec): Promise<WorkloadStatus>;
  get(namespace: string, name: string): Promise<WorkloadStatus | undefined>;
  /** Asks the workload to end (SIGTERM / Job deletion); forces it after `gracePeriodMs`. */
  delete(namespace: string, name: string, options?: { gracePeriodMs?: number }): Promise<void>;
  /** Filesystem path of a session's workspace where the runtime can expose it (embedded mode). */
  workspacePath?(namespace: string, workspaceName: string): string;
  /**
   * Seeds a new workspace with a copy of another (a continuation session starts from its parent's
   * files and conversation). A no-op when the target already has content; runner bookkeeping is
   * not copied.
   */
  copyWorkspace?(namespace: string, fromWorkspace: string, toWorkspace: string): Promise<void>;
  /** Removes a session's workspace (called when the session is deleted). */
  deleteWorkspace(namespace: string, workspaceName: string): Promise<void>;
  /** Notified with (namespace, name) whenever a workload's status changes. */
  watch(onChange: (namespace: string, name: string) => void): Unsubscribe;
}
