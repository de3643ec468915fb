/**
 * The operator's side of on-demand workspace viewers (docs/adr/0010): API replicas ask through
 * PostgreSQL (`requestWorkspaceViewer`) when a workspace request finds no runner; the leading
 * operator starts the viewer (WorkspaceViewerLauncher, idempotent). Requests repeat every few
 * seconds while they wait, so one launch per session at a time is enough and a lost one is retried.
 */
import type pg from 'pg';
import type { Logger } from '@ambient/logger';
import type { WorkspaceViewerOutcome } from '@ambient/runtime-kube';
import { listenForWorkspaceViewerRequests } from '@ambient/runtime-postgres';

export interface WorkspaceViewerServiceOptions {
  pool: pg.Pool;
  launcher: { ensure(namespace: string, sessionName: string): Promise<WorkspaceViewerOutcome> };
  /** Only the leader acts, like every controller of the operator. */
  isLeading(): boolean;
  logger: Logger;
}

export function startWorkspaceViewerService(options: WorkspaceViewerServiceOptions): { close(): Promise<void> } {
  const launching = new Set<string>();
  const onRequest = (namespace: string, sessionName: string): void => {
    const key = `${namespace}/${sessionName}`;
    if (!options.isLeading() || launching.has(key)) return;
    launching.add(key);
    options.launcher
      .ensure(namespace, sessionName)
      .then((outcome) => {
        if (outcome === 'started') options.logger.info({ project: namespace, session: sessionName }, 'workspace_viewer.started');
        else options.logger.debug({ project: namespace, session: sessionName, outcome }, 'workspace_viewer.not_started');
      })
      .catch((error: unknown) => options.logger.warn({ err: error, project: namespace, session: sessionName }, 'workspace_viewer.start_failed'))
      .finally(() => launching.delete(key));
  };
  return listenForWorkspaceViewerRequests(options.pool, onRequest, (error) =>
    options.logger.warn({ err: error }, 'workspace_viewer.listener_error'),
  );
}
