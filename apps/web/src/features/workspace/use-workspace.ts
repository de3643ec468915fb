'use client';
/**
 * Hooks for a session's workspace files. The API answers 503 when this deployment mode has no
 * workspace files; that will not change by asking again, so such an answer is final here (no
 * retries, no polling, no refetch on focus), like 401/403/404 (lib/query-client.ts). A 503 with
 * `Retry-After` is different: in cluster mode a workspace viewer is starting for a finished session,
 * so the query waits as told, for about half a minute, while the view says what is happening.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { ClientError } from '@ambient/client';
import type { WorkspaceEntry } from '@ambient/client';
import { useClient } from '../auth/auth-context';
import { baseName, saveBlob } from '../../lib/download';
import { shouldRetryQuery } from '../../lib/query-client';
import { canPreview, decodePreview } from './file-preview';
import type { FilePreview } from './file-preview';
import { workspaceKeys } from './workspace-keys';

/** While the agent works, its new files show up without a click on "Refresh". */
export const LISTING_POLL_MS = 5_000;

/** Waits for a starting viewer: attempts × Retry-After ≈ 30 s before the page shows the 503. */
export const MAX_STARTING_ATTEMPTS = 15;

/** A 503 the server expects to clear soon (it sent `Retry-After`). */
export function isWorkspaceStarting(error: unknown): error is ClientError {
  return error instanceof ClientError && error.status === 503 && error.retryAfterSeconds !== undefined;
}

export function isWorkspaceUnavailable(error: unknown): boolean {
  return error instanceof ClientError && error.status === 503;
}

export function retryWorkspaceQuery(failureCount: number, error: unknown): boolean {
  if (isWorkspaceStarting(error)) return failureCount < MAX_STARTING_ATTEMPTS;
  return !isWorkspaceUnavailable(error) && shouldRetryQuery(failureCount, error);
}

/** As long as the server asks (Retry-After), otherwise TanStack Query's exponential default. */
export function workspaceRetryDelayMs(failureCount: number, error: unknown): number {
  if (isWorkspaceStarting(error)) return (error.retryAfterSeconds ?? 1) * 1000;
  return Math.min(1000 * 2 ** failureCount, 30_000);
}

/** A query that failed stays failed until the user asks again ("Try again", "Refresh"). */
const unlessFailed = (query: { state: { status: string } }): boolean => query.state.status !== 'error';

/** Poll while the agent may write, and never after a failure (a 503 would otherwise be asked every 5 s). */
export function listingRefetchInterval(live: boolean) {
  return (query: { state: { status: string } }): number | false => (live && unlessFailed(query) ? LISTING_POLL_MS : false);
}

export function useWorkspaceListing(project: string, session: string, path: string, options: { live: boolean }) {
  const client = useClient();
  return useQuery({
    queryKey: workspaceKeys.listing(project, session, path),
    queryFn: ({ signal }) => client.sessions.workspace.list(project, session, path, { signal }),
    retry: retryWorkspaceQuery,
    retryDelay: workspaceRetryDelayMs,
    refetchInterval: listingRefetchInterval(options.live),
    refetchOnWindowFocus: unlessFailed,
  });
}

export interface LoadedFile {
  blob: Blob;
  preview: FilePreview;
}

/** The selected file's bytes and how to show them; not fetched when it is too big to show. */
export function useWorkspaceFile(project: string, session: string, entry: WorkspaceEntry | undefined) {
  const client = useClient();
  const path = entry?.path ?? '';
  return useQuery({
    queryKey: workspaceKeys.file(project, session, path, entry?.modifiedAt ?? ''),
    queryFn: async ({ signal }): Promise<LoadedFile | { blob?: undefined; preview: FilePreview }> => {
      const result = await client.sessions.workspace.read(project, session, path, { signal });
      // A symbolic link may point at a folder: the server then answers with its listing.
      if (result.type === 'directory') return { preview: { kind: 'directory' } };
      return { blob: result.body, preview: decodePreview(new Uint8Array(await result.body.arrayBuffer())) };
    },
    enabled: entry !== undefined && canPreview(entry.size),
    retry: retryWorkspaceQuery,
    retryDelay: workspaceRetryDelayMs,
    // The key holds the modification time: the same key always means the same bytes.
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}

/** Fetches a file through the client (the token is a header) and hands it to the browser to save. */
export function useDownloadWorkspaceFile(project: string, session: string) {
  const client = useClient();
  return useMutation({
    mutationFn: async (path: string) => {
      const result = await client.sessions.workspace.read(project, session, path);
      if (result.type !== 'file') throw new Error(`${path} is a folder; only files can be downloaded.`);
      saveBlob(result.body, baseName(path));
      return baseName(path);
    },
  });
}
