/** The effectful half of the ProjectSettings controller (see decisions.ts). */
import { ProjectSettingsKind } from '@ambient/contracts';
import { isConflict, setCondition } from '@ambient/core';
import type { Clock, PermissionStore, ResourceStore } from '@ambient/core';
import type { ReconcileResult } from '@ambient/controller-kit';
import { decideGroupAccess, MANAGED_GROUPS_ANNOTATION } from './decisions.ts';

export interface ProjectSettingsReconcilerDeps {
  store: ResourceStore;
  permissions: PermissionStore;
  clock: Clock;
}

/** Keys are `<namespace>/projectsettings`. */
export function createProjectSettingsReconciler(deps: ProjectSettingsReconcilerDeps) {
  return async function reconcileProjectSettings(key: string): Promise<ReconcileResult> {
    const [namespace = '', name = ''] = key.split('/');
    const settings = await deps.store.get(ProjectSettingsKind, namespace, name);
    if (!settings) return {};
    const plan = decideGroupAccess(settings, await deps.permissions.list(namespace));
    for (const permission of plan.grant) await deps.permissions.grant(namespace, permission);
    for (const group of plan.revoke) await deps.permissions.revoke(namespace, 'group', group);

    let current = settings;
    const annotation = JSON.stringify(plan.managedGroups);
    if (current.metadata.annotations?.[MANAGED_GROUPS_ANNOTATION] !== annotation) {
      try {
        current = await deps.store.update(ProjectSettingsKind, {
          ...current,
          metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, [MANAGED_GROUPS_ANNOTATION]: annotation } },
        });
      } catch (error) {
        if (isConflict(error)) return { requeueAfterMs: 100 };
        throw error;
      }
    }
    const status = {
      ...current.status,
      observedGeneration: current.metadata.generation,
      groupBindingsCreated: plan.managedGroups.length,
      conditions: setCondition(
        current.status?.conditions,
        { type: 'Ready', status: 'True', reason: 'GroupAccessApplied', message: `${plan.managedGroups.length} group grant(s) applied`, observedGeneration: current.metadata.generation },
        deps.clock.now().toISOString(),
      ),
    };
    if (JSON.stringify(status) !== JSON.stringify(current.status)) {
      await deps.store.patchStatus(ProjectSettingsKind, namespace, name, status, { resourceVersion: current.metadata.resourceVersion });
    }
    return {};
  };
}
