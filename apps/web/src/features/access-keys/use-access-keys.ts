'use client';
/** Hooks over the project's access keys: list, create (the answer holds the key once), revoke. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateAccessKeyInput } from '@ambient/client';
import { useClient } from '../auth/auth-context';
import { projectConfigKeys } from '../project/project-config-keys';

export function useAccessKeys(project: string, enabled = true) {
  const client = useClient();
  return useQuery({
    queryKey: projectConfigKeys.accessKeys(project),
    queryFn: ({ signal }) => client.projects.keys.list(project, { signal }),
    enabled,
  });
}

export function useCreateAccessKey(project: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateAccessKeyInput) => client.projects.keys.create(project, body),
    // The list gets the key's record only; the secret stays in this mutation's result, which the
    // dialog shows once and drops when it closes (mutation.reset()).
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectConfigKeys.accessKeys(project) }),
  });
}

export function useRevokeAccessKey(project: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) => client.projects.keys.revoke(project, keyId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectConfigKeys.accessKeys(project) }),
  });
}
