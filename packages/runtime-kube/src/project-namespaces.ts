/**
 * Project ↔ Namespace, as the system we replace maps them (anchor §2.6): a project IS a namespace
 * labelled `ambient-code.io/managed=true` (and `app.kubernetes.io/managed-by=ambient-code`);
 * spec.displayName/description live in the `openshift.io/display-name`/`openshift.io/description`
 * annotations (what OpenShift shows). Namespaces without the label are invisible here: they are
 * neither listed, nor read, updated or deleted through this store.
 *
 * Two port rules Kubernetes does not give a Namespace, and how they are kept:
 * - generation: namespaces have none, so it is kept in the `ambient-code.io/generation`
 *   annotation and bumped when displayName or description changes;
 * - deletion: a deleted namespace lingers as Terminating while the namespace controller empties it.
 *   Like any object without finalizers in the embedded store, a project is gone the moment it is
 *   deleted: a Terminating namespace is hidden unless `metadata.finalizers` still hold it (then it
 *   shows with deletionTimestamp, as any finalized object does).
 */
import { CoreV1Api } from '@kubernetes/client-node';
import type { V1Namespace } from '@kubernetes/client-node';
import { ProjectKind } from '@ambient/contracts';
import type { ResourceKind } from '@ambient/contracts';
import { ConflictError, NotFoundError, ValidationError } from '@ambient/core';
import type {
  ListOptions,
  ListResult,
  NewObject,
  StoredObject,
  WatchEventType,
} from '@ambient/core';
import type { KindBackend, WatchTarget } from './kind-backend.ts';
import type { KubeConnection } from './kube-connection.ts';
import { kubeCall, kubeRead } from './kube-errors.ts';
import { labelSelectorString, pageLimit, userMetadata, validateForWrite } from './kube-objects.ts';
import type { RawObject } from './kube-objects.ts';
import { namespaceToProject, projectToNamespace, PROJECT_SELECTOR } from './project-mapping.ts';
import type { NamespaceShape, ProjectView } from './project-mapping.ts';

export {
  DESCRIPTION_ANNOTATION,
  DISPLAY_NAME_ANNOTATION,
  GENERATION_ANNOTATION,
  MANAGED_LABEL,
} from './project-mapping.ts';

function describeProject(name: string): string {
  return `projects "${name}"`;
}

export class ProjectNamespaceBackend implements KindBackend {
  readonly #connection: KubeConnection;

  constructor(connection: KubeConnection) {
    this.#connection = connection;
  }

  #api(): CoreV1Api {
    return this.#connection.api(CoreV1Api);
  }

  async create(kind: ResourceKind, object: NewObject<unknown>): Promise<StoredObject> {
    const name = object.metadata.name;
    const project = validateForWrite(
      kind,
      {
        apiVersion: kind.apiVersion,
        kind: kind.kind,
        metadata: { name, ...userMetadata(object.metadata) },
        spec: object.spec,
      },
      name,
    );
    const api = this.#api();
    const created = await kubeCall(describeProject(name), () =>
      api.createNamespace({ body: projectToNamespace(project, 1) }),
    );
    return this.#visible(created, name);
  }

  async get(
    _kind: ResourceKind,
    _namespace: string,
    name: string,
  ): Promise<StoredObject | undefined> {
    const view = await this.#read(name);
    return view && !view.hidden ? view.project : undefined;
  }

  async list(
    _kind: ResourceKind,
    _namespace: string | undefined,
    options: ListOptions,
  ): Promise<ListResult<unknown>> {
    const userSelector = labelSelectorString(options.labelSelector);
    const api = this.#api();
    const listed = await kubeCall('projects', () =>
      api.listNamespace({
        labelSelector: userSelector ? `${PROJECT_SELECTOR},${userSelector}` : PROJECT_SELECTOR,
        limit: pageLimit(options),
        _continue: options.continue || undefined,
      }),
    );
    const items: StoredObject[] = [];
    for (const namespace of listed.items) {
      const view = namespaceToProject(namespace);
      if (view && !view.hidden) items.push(view.project);
    }
    const result: ListResult<unknown> = {
      items,
      resourceVersion: listed.metadata?.resourceVersion ?? '',
    };
    if (listed.metadata?._continue) result.continue = listed.metadata._continue;
    return result;
  }

  async update(kind: ResourceKind, object: StoredObject): Promise<StoredObject> {
    const given = object.metadata;
    const project = validateForWrite(
      kind,
      {
        apiVersion: kind.apiVersion,
        kind: kind.kind,
        metadata: { name: given.name, ...userMetadata(given) },
        spec: object.spec,
      },
      given.name,
    );
    const current = await this.#read(given.name);
    if (!current || current.hidden)
      throw new NotFoundError(`${describeProject(given.name)} not found`);
    const currentMeta = current.project.metadata;
    if (given.uid && given.uid !== currentMeta.uid) {
      throw new ConflictError(
        `Precondition failed on ${describeProject(given.name)}: UID in precondition: ${given.uid}, UID in object meta: ${currentMeta.uid}`,
        { reason: 'Conflict' },
      );
    }
    const specChanged =
      JSON.stringify(sortedSpec(current.project.spec)) !== JSON.stringify(sortedSpec(project.spec));
    const body = projectToNamespace(project, currentMeta.generation + (specChanged ? 1 : 0));
    // The caller's version is the precondition; without one, the version just read (a concurrent
    // writer then makes this a 409 the caller can retry, never a lost update).
    body.metadata = {
      ...body.metadata,
      uid: currentMeta.uid,
      resourceVersion: given.resourceVersion || currentMeta.resourceVersion,
    };
    const api = this.#api();
    const replaced = await kubeCall(describeProject(given.name), () =>
      api.replaceNamespace({ name: given.name, body }),
    );
    return this.#visible(replaced, given.name);
  }

  async patchStatus(_kind: ResourceKind, _namespace: string, name: string): Promise<StoredObject> {
    throw new ValidationError(
      `${describeProject(name)}: a project's status is its Namespace's phase, which Kubernetes owns`,
    );
  }

  async delete(_kind: ResourceKind, _namespace: string, name: string): Promise<void> {
    const current = await this.#read(name);
    if (!current || current.hidden) throw new NotFoundError(`${describeProject(name)} not found`);
    if (current.project.metadata.deletionTimestamp) return; // already deleting, held by finalizers
    const api = this.#api();
    await kubeCall(describeProject(name), () => api.deleteNamespace({ name }));
  }

  watchTarget(_kind: ResourceKind, _namespace: string | undefined): WatchTarget {
    // A terminating namespace is reported DELETED once, when it becomes hidden; Kubernetes' own
    // DELETED event for it (when the namespace controller finishes) is then swallowed.
    const reportedGone = new Set<string>();
    return {
      path: '/api/v1/namespaces',
      labelSelector: PROJECT_SELECTOR,
      currentVersion: async () =>
        (await this.list(ProjectKind, undefined, { limit: 1 })).resourceVersion,
      translate: (type: WatchEventType, raw: RawObject) => {
        const view = namespaceToProject(raw as NamespaceShape);
        if (!view) return [];
        const uid = view.project.metadata.uid;
        if (type === 'DELETED') {
          if (reportedGone.delete(uid)) return [];
          return [{ type, object: view.project }];
        }
        if (!view.hidden) return [{ type, object: view.project }];
        if (reportedGone.has(uid)) return [];
        reportedGone.add(uid);
        return [{ type: 'DELETED', object: view.project }];
      },
    };
  }

  async #read(name: string): Promise<ProjectView | undefined> {
    const api = this.#api();
    const namespace = await kubeRead(describeProject(name), () => api.readNamespace({ name }));
    return namespace ? namespaceToProject(namespace) : undefined;
  }

  #visible(namespace: V1Namespace, name: string): StoredObject {
    const view = namespaceToProject(namespace);
    if (!view) throw new NotFoundError(`${describeProject(name)} not found`);
    return view.project;
  }
}

function sortedSpec(spec: unknown): unknown {
  const record = (spec ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]]),
  );
}
