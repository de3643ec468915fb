'use client';
/**
 * The caller's role in a project (GET …/access). Sections use it to show or hide the controls only
 * admins may use; the server still checks every call, this only spares people buttons that fail.
 */
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../auth/auth-context';
import { projectConfigKeys } from './project-config-keys';

export function useProjectAccess(project: string) {
  const client = useClient();
  const query = useQuery({
    queryKey: projectConfigKeys.access(project),
    queryFn: ({ signal }) => client.projects.access(project, { signal }),
    enabled: project.length > 0,
  });
  return { ...query, isAdmin: query.data?.userRole === 'admin' };
}
