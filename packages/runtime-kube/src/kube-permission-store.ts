/**
 * PermissionStore over RBAC (cluster mode): a project permission IS a RoleBinding in the project's
 * namespace, so Kubernetes itself enforces it on every call made with the member's token.
 *
 * - name `ambient-<subjectType>-<role>-<subject>` (subject sanitised to a DNS label; when that
 *   changed the name, a short hash of the exact name keeps two subjects apart);
 * - labelled `app.kubernetes.io/managed-by=ambient-code`; only such bindings are read, and only
 *   those binding one User or Group to a ClusterRole `ambient-project-<role>` count;
 * - one role per subject: `grant` creates the new binding first, then removes the subject's
 *   others, so a role change never leaves a moment without access.
 */
import { createHash } from 'node:crypto';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import type { V1RoleBinding } from '@kubernetes/client-node';
import { permissionSchema, projectRoleSchema } from '@ambient/contracts';
import type { Permission, SubjectType } from '@ambient/contracts';
import { ValidationError, isConflict } from '@ambient/core';
import type { PermissionStore } from '@ambient/core';
import { KubeConnection } from './kube-connection.ts';
import type { KubeConnectionOptions } from './kube-connection.ts';
import { isHttpStatus, kubeCall, toPlatformError } from './kube-errors.ts';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './project-mapping.ts';

export const RBAC_API_GROUP = 'rbac.authorization.k8s.io';
export const PROJECT_ROLE_PREFIX = 'ambient-project-';
/** The exact subject name, for people reading bindings with kubectl (the subject is the truth). */
export const SUBJECT_ANNOTATION = 'ambient-code.io/subject-name';

const SUBJECT_KINDS: Record<SubjectType, string> = { user: 'User', group: 'Group' };
const MAX_SUBJECT_PART = 40;

/** `Alice.Smith@example.com` → `alice-smith-example-com-<hash>`; `alice` → `alice`. */
export function sanitiseSubject(subjectName: string): string {
  const sanitised = subjectName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, MAX_SUBJECT_PART)
    .replace(/-$/, '');
  if (sanitised === subjectName) return sanitised;
  const hash = createHash('sha256').update(subjectName).digest('hex').slice(0, 8);
  return sanitised ? `${sanitised}-${hash}` : hash;
}

export function roleBindingName(permission: Permission): string {
  return `ambient-${permission.subjectType}-${permission.role}-${sanitiseSubject(permission.subjectName)}`;
}

export function roleBindingFor(permission: Permission): V1RoleBinding {
  return {
    apiVersion: `${RBAC_API_GROUP}/v1`,
    kind: 'RoleBinding',
    metadata: {
      name: roleBindingName(permission),
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      annotations: { [SUBJECT_ANNOTATION]: permission.subjectName },
    },
    roleRef: {
      apiGroup: RBAC_API_GROUP,
      kind: 'ClusterRole',
      name: `${PROJECT_ROLE_PREFIX}${permission.role}`,
    },
    subjects: [
      {
        apiGroup: RBAC_API_GROUP,
        kind: SUBJECT_KINDS[permission.subjectType],
        name: permission.subjectName,
      },
    ],
  };
}

/** The permission a managed binding expresses, or undefined for any other binding. */
export function permissionOf(binding: V1RoleBinding): Permission | undefined {
  const subjects = binding.subjects ?? [];
  const subject = subjects[0];
  if (subjects.length !== 1 || !subject) return undefined;
  const subjectType = (Object.keys(SUBJECT_KINDS) as SubjectType[]).find(
    (type) => SUBJECT_KINDS[type] === subject.kind,
  );
  const roleRef = binding.roleRef;
  if (
    !subjectType ||
    roleRef.kind !== 'ClusterRole' ||
    !roleRef.name.startsWith(PROJECT_ROLE_PREFIX)
  ) {
    return undefined;
  }
  const role = projectRoleSchema.safeParse(roleRef.name.slice(PROJECT_ROLE_PREFIX.length));
  return role.success ? { subjectType, subjectName: subject.name, role: role.data } : undefined;
}

interface ManagedBinding {
  name: string;
  permission: Permission;
}

export class KubePermissionStore implements PermissionStore {
  readonly #connection: KubeConnection;

  constructor(options: KubeConnectionOptions) {
    this.#connection = new KubeConnection(options);
  }

  async list(project: string): Promise<Permission[]> {
    return (await this.#managed(project))
      .map((binding) => binding.permission)
      .sort(
        (left, right) =>
          left.subjectType.localeCompare(right.subjectType) ||
          left.subjectName.localeCompare(right.subjectName),
      );
  }

  async grant(project: string, permission: Permission): Promise<Permission> {
    const parsed = permissionSchema.safeParse(permission);
    if (!parsed.success) {
      throw new ValidationError('invalid permission', parsed.error.issues);
    }
    const wanted = parsed.data;
    const name = roleBindingName(wanted);
    const existing = (await this.#managed(project)).filter((binding) =>
      sameSubject(binding.permission, wanted),
    );
    const api = this.#connection.api(RbacAuthorizationV1Api);
    const current = existing.find(
      (binding) => binding.name === name && binding.permission.role === wanted.role,
    );
    if (!current) {
      const body = roleBindingFor(wanted);
      await kubeCall(`rolebindings "${name}"`, () =>
        api.createNamespacedRoleBinding({ namespace: project, body }),
      ).catch(async (error: unknown) => {
        // A same-named binding we did not recognise (its subject was edited by hand): the name
        // says what it must be, so put it back. roleRef is immutable, but the name fixes the role.
        if (!isConflict(error)) throw error;
        await kubeCall(`rolebindings "${name}"`, () =>
          api.replaceNamespacedRoleBinding({ name, namespace: project, body }),
        );
      });
    }
    for (const binding of existing) {
      if (binding.name !== name) await this.#deleteBinding(project, binding.name);
    }
    return wanted;
  }

  async revoke(project: string, subjectType: SubjectType, subjectName: string): Promise<boolean> {
    const bindings = (await this.#managed(project)).filter((binding) =>
      sameSubject(binding.permission, { subjectType, subjectName }),
    );
    let revoked = false;
    for (const binding of bindings)
      revoked = (await this.#deleteBinding(project, binding.name)) || revoked;
    return revoked;
  }

  async deleteProject(project: string): Promise<void> {
    for (const binding of await this.#managed(project))
      await this.#deleteBinding(project, binding.name);
  }

  async #managed(project: string): Promise<ManagedBinding[]> {
    const api = this.#connection.api(RbacAuthorizationV1Api);
    const listed = await kubeCall('rolebindings', () =>
      api.listNamespacedRoleBinding({
        namespace: project,
        labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`,
      }),
    );
    const bindings: ManagedBinding[] = [];
    for (const binding of listed.items) {
      const permission = permissionOf(binding);
      const name = binding.metadata?.name;
      if (permission && name) bindings.push({ name, permission });
    }
    return bindings;
  }

  /** Deletes one binding; false when it was already gone. */
  async #deleteBinding(project: string, name: string): Promise<boolean> {
    const api = this.#connection.api(RbacAuthorizationV1Api);
    try {
      await api.deleteNamespacedRoleBinding({ name, namespace: project });
      return true;
    } catch (error) {
      if (isHttpStatus(error, 404)) return false;
      throw toPlatformError(error, `rolebindings "${name}"`);
    }
  }
}

function sameSubject(
  left: Pick<Permission, 'subjectType' | 'subjectName'>,
  right: Pick<Permission, 'subjectType' | 'subjectName'>,
): boolean {
  return left.subjectType === right.subjectType && left.subjectName === right.subjectName;
}
