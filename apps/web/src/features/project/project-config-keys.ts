/** Query keys of a project's configuration (one factory, so mutations invalidate the right lists). */
import type { ProjectSecretKind } from '@ambient/client';

export const projectConfigKeys = {
  all: ['project-config'] as const,
  access: (project: string) => [...projectConfigKeys.all, 'access', project] as const,
  permissions: (project: string) => [...projectConfigKeys.all, 'permissions', project] as const,
  accessKeys: (project: string) => [...projectConfigKeys.all, 'access-keys', project] as const,
  settings: (project: string) => [...projectConfigKeys.all, 'settings', project] as const,
  secrets: (project: string, kind: ProjectSecretKind) => [...projectConfigKeys.all, 'secrets', project, kind] as const,
};
