/** The three project roles with the sentence the UI shows for each. */
import type { ProjectRole } from '@ambient/contracts';

export const ROLE_DESCRIPTIONS: Record<ProjectRole, string> = {
  view: 'View: read sessions, settings and the keys of secrets',
  edit: 'Edit: also create, run and stop sessions',
  admin: 'Admin: also manage sharing, settings, secrets and access keys',
};

export const ROLES: ProjectRole[] = ['view', 'edit', 'admin'];
