/**
 * "Start a workspace viewer for this session" (docs/adr/0010), from an API replica to the operator:
 * the API server may not create pods (its identity stays narrow, ADR-0009), while the operator
 * already starts the session's runs and so is where a viewer and a run are kept apart. A NOTIFY like
 * session-changes.ts; losing one is harmless because a waiting request asks again every few
 * seconds, and the operator's launch is idempotent.
 */
import type pg from 'pg';
import { NotificationListener } from './notification-listener.ts';
import type { ErrorReporter } from './retry.ts';

export const WORKSPACE_VIEWER_REQUESTS_CHANNEL = 'ambient_workspace_viewer_requests';

export async function requestWorkspaceViewer(pool: pg.Pool, namespace: string, name: string): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [WORKSPACE_VIEWER_REQUESTS_CHANNEL, JSON.stringify({ namespace, name })]);
}

/** One dedicated LISTEN connection; `close()` ends it. */
export function listenForWorkspaceViewerRequests(
  pool: pg.Pool,
  onRequest: (namespace: string, name: string) => void,
  onError: ErrorReporter,
): { close(): Promise<void> } {
  const listener = new NotificationListener({
    connection: pool.options,
    channel: WORKSPACE_VIEWER_REQUESTS_CHANNEL,
    onError,
    applicationName: 'ambient-workspace-viewer-requests',
  });
  listener.subscribe({
    onNotification(payload) {
      try {
        const parsed = JSON.parse(payload ?? '') as { namespace?: unknown; name?: unknown };
        if (typeof parsed.namespace === 'string' && typeof parsed.name === 'string') onRequest(parsed.namespace, parsed.name);
      } catch (error) {
        onError(error);
      }
    },
    // Requests lost meanwhile are asked again by the requests still waiting.
    onReconnect: () => undefined,
  });
  return { close: () => listener.close() };
}
