'use client';
/**
 * Follows a session's event stream into the query cache (sessionKeys.chat). The folded chat keeps
 * its last seq, and every (re)connection starts after the cached seq, so a remount resumes exactly
 * where the previous mount stopped; the reducer ignores any seq it already applied, so overlapping
 * streams (React's double effects in development, a reconnect) never show a message twice.
 *
 * Events are applied once per animation frame in one batch: a fast stream re-renders the chat at
 * most at the display's rate instead of once per token.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import type { SessionEvent } from '@ambient/contracts';
import { useClient } from '../auth/auth-context';
import { sessionKeys } from '../sessions/session-keys';
import type { ChatState } from './chat-types';
import { INITIAL_CHAT_STATE, reduceEvents } from './reduce-events';

export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'live' }
  | { status: 'reconnecting'; attempt: number; delayMs: number }
  | { status: 'failed'; error: unknown };

/** A chat nobody looks at stays cached this long, so coming back to it resumes instead of replaying. */
const CHAT_CACHE_MS = 30 * 60_000;

export interface SessionChat {
  chat: ChatState;
  connection: ConnectionState;
  /** Starts following again after the stream gave up (ConnectionState 'failed'). */
  reconnect: () => void;
}

export function useSessionChat(project: string, name: string): SessionChat {
  const client = useClient();
  const queryClient = useQueryClient();
  const [connection, setConnection] = useState<ConnectionState>({ status: 'connecting' });
  const [generation, setGeneration] = useState(0);
  const { data: chat } = useQuery({
    queryKey: sessionKeys.chat(project, name),
    // Never fetched: the stream below writes this entry. initialData only seeds an empty cache.
    queryFn: () => queryClient.getQueryData<ChatState>(sessionKeys.chat(project, name)) ?? INITIAL_CHAT_STATE,
    initialData: INITIAL_CHAT_STATE,
    staleTime: Infinity,
    gcTime: CHAT_CACHE_MS,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

  useEffect(() => {
    if (!project || !name) return;
    const key = sessionKeys.chat(project, name);
    const controller = new AbortController();
    let pending: SessionEvent[] = [];
    let frame: number | undefined;

    const flush = (): void => {
      frame = undefined;
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      queryClient.setQueryData<ChatState>(key, (previous) => reduceEvents(previous ?? INITIAL_CHAT_STATE, batch));
    };
    const markLive = (): void => setConnection((current) => (current.status === 'live' ? current : { status: 'live' }));

    const follow = async (): Promise<void> => {
      // Read the cursor now, not at render: a previous mount may have advanced it since.
      const afterSeq = queryClient.getQueryData<ChatState>(key)?.lastSeq ?? 0;
      setConnection({ status: 'connecting' });
      const events = client.sessions.events(project, name, {
        afterSeq,
        signal: controller.signal,
        onConnected: markLive,
        onReconnect: (info) => setConnection({ status: 'reconnecting', attempt: info.attempt, delayMs: info.delayMs }),
      });
      try {
        for await (const event of events) {
          pending.push(event);
          frame ??= requestAnimationFrame(flush);
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        setConnection({ status: 'failed', error });
      }
    };
    void follow();

    return () => {
      controller.abort();
      if (frame !== undefined) cancelAnimationFrame(frame);
      // Keep what arrived: the cursor in the cache then covers it and the next mount starts after it.
      flush();
    };
  }, [client, queryClient, project, name, generation]);

  const reconnect = useCallback(() => setGeneration((value) => value + 1), []);
  return { chat, connection, reconnect };
}
