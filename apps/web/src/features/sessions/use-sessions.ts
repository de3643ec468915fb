'use client';
/**
 * Per-resource hooks for sessions over the typed client. The list follows the project event stream
 * (use-project-stream.ts: list-then-watch, the Headlamp pattern) and polls only while the stream is
 * down; a session's details poll every 2 s (10 s once it has finished).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateSessionInput } from '@ambient/client';
import { TERMINAL_SESSION_PHASES } from '@ambient/contracts';
import type { AgenticSession } from '@ambient/contracts';
import { useClient } from '../auth/auth-context';
import { sessionKeys } from './session-keys';
import { sessionListOverlay } from './session-list-stream';
import { useProjectStream } from './use-project-stream';

export const LIVE_POLL_MS = 2_000;
/** A finished session changes only when someone acts on it; poll slowly then. */
export const SETTLED_POLL_MS = 10_000;

export function isTerminal(session: AgenticSession | undefined): boolean {
  const phase = session?.status?.phase;
  return phase !== undefined && TERMINAL_SESSION_PHASES.includes(phase);
}

/** The project's sessions, newest first, live. One component per page should use it (one stream each). */
export function useSessions(project: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  const stream = useProjectStream(project);
  return useQuery({
    queryKey: sessionKeys.list(project),
    queryFn: async ({ signal }) => {
      const sessions = await client.sessions.list(project, { signal });
      // Changes the stream delivered after this answer was served still apply.
      return sessionListOverlay(queryClient, project).reconcile(sessions).sessions;
    },
    refetchInterval: stream.live ? false : LIVE_POLL_MS,
    enabled: project.length > 0,
  });
}

export function useSession(project: string, name: string) {
  const client = useClient();
  return useQuery({
    queryKey: sessionKeys.detail(project, name),
    queryFn: ({ signal }) => client.sessions.get(project, name, { signal }),
    refetchInterval: (query) => (isTerminal(query.state.data) ? SETTLED_POLL_MS : LIVE_POLL_MS),
    enabled: project.length > 0 && name.length > 0,
  });
}

/** After an action the session and the list change soon: refetch both now rather than at the next poll. */
function useRefreshSession(project: string) {
  const queryClient = useQueryClient();
  return (name: string) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: sessionKeys.detail(project, name) }),
      queryClient.invalidateQueries({ queryKey: sessionKeys.list(project) }),
    ]);
}

export function useCreateSession(project: string) {
  const client = useClient();
  const refresh = useRefreshSession(project);
  return useMutation({
    mutationFn: (body: CreateSessionInput) => client.sessions.create(project, body),
    onSuccess: (created) => refresh(created.name),
  });
}

export function useStopSession(project: string) {
  const client = useClient();
  const refresh = useRefreshSession(project);
  return useMutation({ mutationFn: (name: string) => client.sessions.stop(project, name), onSettled: (_data, _error, name) => refresh(name) });
}

export function useStartSession(project: string) {
  const client = useClient();
  const refresh = useRefreshSession(project);
  return useMutation({ mutationFn: (name: string) => client.sessions.start(project, name), onSettled: (_data, _error, name) => refresh(name) });
}

export function useDeleteSession(project: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => client.sessions.delete(project, name),
    onSuccess: (_data, name) => {
      // Drop the row now; the stream's DELETED (or the refetch) confirms.
      queryClient.setQueryData<AgenticSession[]>(sessionKeys.list(project), (sessions) =>
        sessions?.filter((session) => session.metadata.name !== name),
      );
      queryClient.removeQueries({ queryKey: sessionKeys.detail(project, name) });
      queryClient.removeQueries({ queryKey: sessionKeys.chat(project, name) });
      return queryClient.invalidateQueries({ queryKey: sessionKeys.list(project) });
    },
  });
}

export function useSendMessage(project: string, name: string) {
  const client = useClient();
  return useMutation({ mutationFn: (text: string) => client.sessions.send(project, name, text) });
}

export function useInterruptSession(project: string, name: string) {
  const client = useClient();
  return useMutation({ mutationFn: () => client.sessions.interrupt(project, name) });
}
