/**
 * Pure decisions of the ProjectSettings controller: `spec.groupAccess` becomes group grants in the
 * project (RoleBindings in cluster mode). Only grants this controller made are ever revoked — they
 * are remembered in an annotation — so grants made through the permissions API are left alone.
 */
import type { Permission, ProjectRole, ProjectSettings } from '@ambient/contracts';

export const MANAGED_GROUPS_ANNOTATION = 'ambient-code.io/managed-groups';

export interface GroupAccessPlan {
  grant: Permission[];
  revoke: string[];
  /** The groups this controller manages after the plan is carried out. */
  managedGroups: string[];
}

export function managedGroupsOf(settings: ProjectSettings): string[] {
  const raw = settings.metadata.annotations?.[MANAGED_GROUPS_ANNOTATION];
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((value): value is string => typeof value === 'string') : [];
  } catch {
    return [];
  }
}

export function decideGroupAccess(settings: ProjectSettings, current: readonly Permission[]): GroupAccessPlan {
  const desired = new Map<string, ProjectRole>();
  for (const entry of settings.spec.groupAccess ?? []) desired.set(entry.groupName, entry.role);
  const currentGroups = new Map(
    current.filter((permission) => permission.subjectType === 'group').map((permission) => [permission.subjectName, permission.role]),
  );
  const grant: Permission[] = [];
  for (const [groupName, role] of desired) {
    if (currentGroups.get(groupName) !== role) grant.push({ subjectType: 'group', subjectName: groupName, role });
  }
  const revoke = managedGroupsOf(settings).filter((group) => !desired.has(group) && currentGroups.has(group));
  return { grant, revoke, managedGroups: [...desired.keys()].sort() };
}
