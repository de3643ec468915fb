/**
 * The stores a cluster-mode request works with, as its caller (main-cluster.ts): the caller's own
 * Kubernetes identity everywhere, with the few project operations ADR-0002 leaves to the server.
 */
import { ProjectKind } from '@ambient/contracts';
import type { ResourceKind } from '@ambient/contracts';
import { PlatformError } from '@ambient/core';
import type { ListOptions, ListResult, NewObject, PermissionStore, ResourceStore, Stored, Unsubscribe, WatchEvent, WatchOptions } from '@ambient/core';
import type { KubePermissionStore } from '@ambient/runtime-kube';

/**
 * A project's RoleBindings go with its Namespace. Deleting them first, as the caller, would take the
 * caller's own admin role away before the Namespace is deleted (which then fails, half done).
 */
export function withoutProjectCleanup(permissions: KubePermissionStore): PermissionStore {
  return {
    list: (project) => permissions.list(project),
    grant: (project, permission) => permissions.grant(project, permission),
    revoke: (project, subjectType, subjectName) => permissions.revoke(project, subjectType, subjectName),
    deleteProject: async () => undefined,
  };
}

/**
 * The caller's store, with the project operations cluster mode needs adjusted:
 * - `get` of a Project the caller may not see is `undefined` (Kubernetes answers 403 for a namespace
 *   the caller has no role in, whether it exists or not): outsiders get 404, as in embedded mode;
 * - `list` of Projects uses the server's identity (callers have no cluster-wide namespace list); the
 *   route shows only the projects in which the caller's own access review finds a role;
 * - `update` and `delete` of a Project (its Namespace) use the server's identity (ADR-0002: project
 *   admins hold no rights on Namespaces, which would let them change their labels), once
 *   `requireProjectAdmin` has confirmed with the caller's own access review that they administer it.
 */
export class CallerResourceStore implements ResourceStore {
  constructor(
    private readonly caller: ResourceStore,
    private readonly server: ResourceStore,
    private readonly requireProjectAdmin: (project: string) => Promise<void>,
  ) {}

  create<T>(kind: ResourceKind<T>, object: NewObject<T>): Promise<Stored<T>> {
    return this.caller.create(kind, object);
  }

  async get<T>(kind: ResourceKind<T>, namespace: string, name: string): Promise<Stored<T> | undefined> {
    try {
      return await this.caller.get(kind, namespace, name);
    } catch (error) {
      if (isProjectKind(kind) && PlatformError.isInstance(error) && error.code === 'forbidden') return undefined;
      throw error;
    }
  }

  list<T>(kind: ResourceKind<T>, namespace?: string, options?: ListOptions): Promise<ListResult<T>> {
    return (isProjectKind(kind) ? this.server : this.caller).list(kind, namespace, options);
  }

  async update<T>(kind: ResourceKind<T>, object: Stored<T>): Promise<Stored<T>> {
    if (!isProjectKind(kind)) return this.caller.update(kind, object);
    await this.requireProjectAdmin(object.metadata.name);
    return this.server.update(kind, object);
  }

  patchStatus<T>(
    kind: ResourceKind<T>,
    namespace: string,
    name: string,
    status: T extends { status?: infer S } ? S : unknown,
    options?: { resourceVersion?: string },
  ): Promise<Stored<T>> {
    return this.caller.patchStatus(kind, namespace, name, status, options);
  }

  async delete<T>(kind: ResourceKind<T>, namespace: string, name: string): Promise<void> {
    if (!isProjectKind(kind)) return this.caller.delete(kind, namespace, name);
    await this.requireProjectAdmin(name);
    return this.server.delete(kind, namespace, name);
  }

  watch<T>(kind: ResourceKind<T>, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Unsubscribe {
    return this.caller.watch(kind, options, onEvent);
  }
}

function isProjectKind(kind: ResourceKind<unknown>): boolean {
  return kind.kind === ProjectKind.kind;
}
