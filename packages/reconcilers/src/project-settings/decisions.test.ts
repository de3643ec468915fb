import { describe, expect, it } from 'vitest';
import { GROUP_VERSION } from '@ambient/contracts';
import type { Permission, ProjectSettings } from '@ambient/contracts';
import { decideGroupAccess, MANAGED_GROUPS_ANNOTATION } from './decisions.ts';

function settings(groupAccess: ProjectSettings['spec']['groupAccess'], managed?: string[]): ProjectSettings {
  return {
    apiVersion: GROUP_VERSION,
    kind: 'ProjectSettings',
    metadata: { name: 'projectsettings', namespace: 'p1', annotations: managed ? { [MANAGED_GROUPS_ANNOTATION]: JSON.stringify(managed) } : {} },
    spec: { groupAccess },
  };
}

const group = (name: string, role: Permission['role']): Permission => ({ subjectType: 'group', subjectName: name, role });

describe('decideGroupAccess', () => {
  it('grants missing and changed roles', () => {
    const plan = decideGroupAccess(settings([{ groupName: 'eng', role: 'edit' }, { groupName: 'ops', role: 'view' }]), [group('eng', 'view')]);
    expect(plan.grant).toEqual([group('eng', 'edit'), group('ops', 'view')]);
    expect(plan.managedGroups).toEqual(['eng', 'ops']);
  });

  it('revokes only groups it granted itself', () => {
    const plan = decideGroupAccess(settings([], ['eng']), [group('eng', 'edit'), group('manual', 'view')]);
    expect(plan.revoke).toEqual(['eng']);
    expect(plan.grant).toEqual([]);
  });

  it('does nothing when everything is in place', () => {
    const plan = decideGroupAccess(settings([{ groupName: 'eng', role: 'edit' }], ['eng']), [group('eng', 'edit'), { subjectType: 'user', subjectName: 'ada', role: 'admin' }]);
    expect(plan).toEqual({ grant: [], revoke: [], managedGroups: ['eng'] });
  });
});
