'use client';
/** Hooks over the project's permissions: the list, grant and revoke (both refresh the list). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { GrantPermissionInput } from '@ambient/client';
import type { SubjectType } from '@ambient/contracts';
import { useClient } from '../auth/auth-context';
import { projectConfigKeys } from '../project/project-config-keys';

export function usePermissions(project: string) {
  const client = useClient();
  return useQuery({
    queryKey: projectConfigKeys.permissions(project),
    queryFn: ({ signal }) => client.projects.permissions.list(project, { signal }),
  });
}

export function useGrantPermission(project: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: GrantPermissionInput) => client.projects.permissions.grant(project, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectConfigKeys.permissions(project) }),
  });
}

export interface SubjectReference {
  subjectType: SubjectType;
  subjectName: string;
}

export function useRevokePermission(project: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (subject: SubjectReference) => client.projects.permissions.revoke(project, subject.subjectType, subject.subjectName),
    // A revoke may also change the caller's own role (revoking oneself), so refresh that too.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectConfigKeys.all }),
  });
}
