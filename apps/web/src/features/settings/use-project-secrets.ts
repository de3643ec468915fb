'use client';
/** Hooks over the two write-only project secrets: describe (keys and dates only) and set keys. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProjectSecretKind } from '@ambient/client';
import { useClient } from '../auth/auth-context';
import { projectConfigKeys } from '../project/project-config-keys';

export function useProjectSecrets(project: string, kind: ProjectSecretKind) {
  const client = useClient();
  return useQuery({
    queryKey: projectConfigKeys.secrets(project, kind),
    queryFn: ({ signal }) => client.projects.secrets.describe(project, kind, { signal }),
  });
}

/** Sets (or, with an empty value, removes) keys; the answer lists the keys again, without values. */
export function usePutProjectSecrets(project: string, kind: ProjectSecretKind) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (data: Record<string, string>) => client.projects.secrets.put(project, kind, data),
    onSuccess: (view) => queryClient.setQueryData(projectConfigKeys.secrets(project, kind), view),
  });
}
