/**
 * A cross-process nudge from API server replicas to the operator: "look at this session now".
 * The API server knows when a runner reported something that changes status (a run started or
 * finished, a result, the conversation id); the operator runs elsewhere, so the hint travels as a
 * PostgreSQL NOTIFY. Level-triggered controllers make it safe to lose one (the periodic resync
 * still comes); it only makes status follow the runner without waiting for the resync.
 */
import type pg from 'pg';
import { NotificationListener } from './notification-listener.ts';
import type { ErrorReporter } from './retry.ts';

export const SESSION_CHANGES_CHANNEL = 'ambient_session_changes';

export async function notifySessionChanged(pool: pg.Pool, namespace: string, name: string): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [SESSION_CHANGES_CHANNEL, JSON.stringify({ namespace, name })]);
}

export interface SessionChangeHandlers {
  onChange(namespace: string, name: string): void;
  /** The listener reconnected: hints may have been lost, resync everything. */
  onReconnect(): void;
}

/** One dedicated LISTEN connection; `close()` ends it. */
export function listenForSessionChanges(pool: pg.Pool, handlers: SessionChangeHandlers, onError: ErrorReporter): { close(): Promise<void> } {
  const listener = new NotificationListener({
    connection: pool.options,
    channel: SESSION_CHANGES_CHANNEL,
    onError,
    applicationName: 'ambient-session-changes-listener',
  });
  listener.subscribe({
    onNotification(payload) {
      try {
        const parsed = JSON.parse(payload ?? '') as { namespace?: unknown; name?: unknown };
        if (typeof parsed.namespace === 'string' && typeof parsed.name === 'string') handlers.onChange(parsed.namespace, parsed.name);
      } catch (error) {
        onError(error);
      }
    },
    onReconnect: () => handlers.onReconnect(),
  });
  return { close: () => listener.close() };
}
