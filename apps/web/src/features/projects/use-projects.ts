'use client';
/** Per-resource hooks for projects over the typed client. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateProjectRequest, ProjectView } from '@ambient/contracts';
import { useClient } from '../auth/auth-context';
import { projectKeys } from './project-keys';

/** The project list changes rarely and only by users; a refetch on focus and every 30 s is enough. */
const PROJECT_LIST_POLL_MS = 30_000;

export function useProjects() {
  const client = useClient();
  return useQuery({
    queryKey: projectKeys.list(),
    queryFn: ({ signal }) => client.projects.list({ signal }),
    refetchInterval: PROJECT_LIST_POLL_MS,
  });
}

export function useProject(name: string) {
  const client = useClient();
  return useQuery({
    queryKey: projectKeys.detail(name),
    queryFn: ({ signal }) => client.projects.get(name, { signal }),
    enabled: name.length > 0,
  });
}

export function useCreateProject() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateProjectRequest) => client.projects.create(body),
    onSuccess: (project: ProjectView) => {
      queryClient.setQueryData(projectKeys.detail(project.name), project);
      return queryClient.invalidateQueries({ queryKey: projectKeys.list() });
    },
  });
}
