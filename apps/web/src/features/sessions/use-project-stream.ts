'use client';
/**
 * Follows a project's event stream (GET /api/projects/:project/events) into the query cache: each
 * change updates, adds or removes its row of sessionKeys.list(project) at once, through the
 * project's SessionListOverlay (session-list-stream.ts), which the list's queryFn applies too.
 * While the stream is down the list falls back to polling (`live` says which applies) and the
 * overlay is cleared; every reconnection after the first refetches the list, so what happened in
 * between is certainly in. Changes are written once per animation frame, so a burst re-renders the table once.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { AgenticSession } from '@ambient/contracts';
import { useClient } from '../auth/auth-context';
import { sessionKeys } from './session-keys';
import { sessionListOverlay } from './session-list-stream';

/** Rows added from a stream entry lack spec details (the model): the full list follows this soon after. */
const COMPLETE_ROWS_DELAY_MS = 300;

export interface ProjectStream {
  /** The stream is connected: the list needs no polling. */
  live: boolean;
}

export function useProjectStream(project: string): ProjectStream {
  const client = useClient();
  const queryClient = useQueryClient();
  // Per project, so a previous project's connection never counts for this one.
  const [liveProject, setLiveProject] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (!project) return;
    const key = sessionKeys.list(project);
    const overlay = sessionListOverlay(queryClient, project);
    const controller = new AbortController();
    let frame: number | undefined;
    let completeTimer: ReturnType<typeof setTimeout> | undefined;
    let connections = 0;

    const refetchList = (): Promise<void> =>
      // An answer already on its way is as good as a new one: do not cancel it.
      queryClient.invalidateQueries({ queryKey: key }, { cancelRefetch: false });
    const write = (): void => {
      frame = undefined;
      const previous = queryClient.getQueryData<AgenticSession[]>(key);
      // Nothing fetched yet: the first answer is reconciled by the queryFn itself.
      if (previous === undefined) return;
      const next = overlay.reconcile(previous);
      queryClient.setQueryData<AgenticSession[]>(key, next.sessions);
      if (next.partial && completeTimer === undefined) {
        completeTimer = setTimeout(() => {
          completeTimer = undefined;
          void refetchList();
        }, COMPLETE_ROWS_DELAY_MS);
      }
    };

    client.projects
      .events(project, {
        signal: controller.signal,
        // Polling covers the gaps, so the stream keeps trying (backoff tops out at 10 s).
        maxReconnectAttempts: Number.POSITIVE_INFINITY,
        onConnected: () => {
          connections += 1;
          setLiveProject(project);
          if (connections > 1) void refetchList();
        },
        onReconnect: () => {
          overlay.clear();
          setLiveProject(undefined);
        },
        onEvent: (event) => {
          overlay.apply(event);
          frame ??= requestAnimationFrame(write);
        },
      })
      .catch(() => {
        // Refused for good (access revoked, project deleted): the list's own queries report it.
        if (controller.signal.aborted) return;
        overlay.clear();
        setLiveProject(undefined);
      });

    return () => {
      controller.abort();
      // Keep what arrived; the overlay keeps it for the next list answer anyway.
      if (frame !== undefined) {
        cancelAnimationFrame(frame);
        write();
      }
      clearTimeout(completeTimer);
      overlay.clear();
      setLiveProject(undefined);
    };
  }, [client, queryClient, project]);

  return { live: project !== '' && liveProject === project };
}
