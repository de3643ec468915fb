'use client';
/** Whether the live stream is connected; "reconnecting" says so instead of silently showing stale output. */
import { Loader2Icon, RadioIcon, WifiOffIcon } from 'lucide-react';
import { Button } from '../../components/ui/button';
import { describeError } from '../../lib/errors';
import type { ConnectionState } from './use-session-chat';

export function ConnectionIndicator({ connection, onReconnect }: { connection: ConnectionState; onReconnect: () => void }) {
  switch (connection.status) {
    case 'live':
      return (
        <span className="inline-flex items-center gap-1 text-xs text-emerald-700 dark:text-emerald-400" data-connection="live">
          <RadioIcon className="size-3.5" aria-hidden="true" />
          Live
        </span>
      );
    case 'connecting':
      return (
        <span className="inline-flex items-center gap-1 text-xs text-muted-foreground" data-connection="connecting">
          <Loader2Icon className="size-3.5 animate-spin" aria-hidden="true" />
          Connecting…
        </span>
      );
    case 'reconnecting':
      return (
        <span className="inline-flex items-center gap-1 text-xs text-amber-700 dark:text-amber-400" data-connection="reconnecting">
          <Loader2Icon className="size-3.5 animate-spin" aria-hidden="true" />
          Reconnecting (attempt {connection.attempt})…
        </span>
      );
    case 'failed':
      return (
        <span className="inline-flex items-center gap-2 text-xs text-destructive" data-connection="failed">
          <WifiOffIcon className="size-3.5" aria-hidden="true" />
          <span>Disconnected: {describeError(connection.error)}</span>
          <Button variant="outline" size="sm" className="h-6 px-2 text-xs" onClick={onReconnect}>
            Reconnect
          </Button>
        </span>
      );
  }
}
