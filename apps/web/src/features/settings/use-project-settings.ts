'use client';
/** Hooks over ProjectSettings: read (null before the first save) and replace. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProjectSettingsInput } from '@ambient/client';
import { isNotFound } from '../../lib/errors';
import { useClient } from '../auth/auth-context';
import { projectConfigKeys } from '../project/project-config-keys';

/** The settings, or null when the project has none yet (the server answers 404 until the first save). */
export function useProjectSettings(project: string) {
  const client = useClient();
  return useQuery({
    queryKey: projectConfigKeys.settings(project),
    queryFn: async ({ signal }) => {
      try {
        return await client.projects.settings.get(project, { signal });
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
  });
}

export function useSaveProjectSettings(project: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (spec: ProjectSettingsInput) => client.projects.settings.put(project, spec),
    onSuccess: (saved) => queryClient.setQueryData(projectConfigKeys.settings(project), saved),
  });
}
