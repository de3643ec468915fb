'use client';
/** Clone and export of one session (delete is useDeleteSession, shared with the sessions list). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CloneSessionInput, SessionExportFormat } from '@ambient/client';
import { useClient } from '../auth/auth-context';
import { sessionKeys } from '../sessions/session-keys';
import { saveBlob } from '../../lib/download';

export function useCloneSession(project: string, name: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CloneSessionInput) => client.sessions.clone(project, name, body),
    // The copy appears in its project's list at once rather than at the next poll.
    onSuccess: (copy) => queryClient.invalidateQueries({ queryKey: sessionKeys.list(copy.project) }),
  });
}

/** Downloads the transcript; resolves to the file name the browser was given. */
export function useExportSession(project: string, name: string) {
  const client = useClient();
  return useMutation({
    mutationFn: async (format: SessionExportFormat) => {
      const exported = await client.sessions.export(project, name, format);
      saveBlob(exported.body, exported.fileName);
      return exported.fileName;
    },
  });
}
