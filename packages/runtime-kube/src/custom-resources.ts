/**
 * The CRD kinds (AgenticSession, ProjectSettings, RFEWorkflow) through the custom objects API.
 * Kubernetes assigns uid, resourceVersion, generation and creationTimestamp, checks optimistic
 * concurrency, keeps status out of spec writes (the status subresource) and serves watches.
 */
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { ResourceKind } from '@ambient/contracts';
import { NotFoundError, ValidationError, isConflict } from '@ambient/core';
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
import {
  labelSelectorString,
  pageLimit,
  toStored,
  userMetadata,
  validateForWrite,
  validateStatus,
} from './kube-objects.ts';
import type { RawList, RawObject } from './kube-objects.ts';

function requireNamespace(kind: ResourceKind, namespace: string | undefined): string {
  if (!namespace)
    throw new ValidationError(`${kind.plural} are namespaced: a namespace is required`);
  return namespace;
}

function describeObject(kind: ResourceKind, name: string): string {
  return `${kind.plural} "${name}"`;
}

/**
 * The status write as a JSON patch, not a merge patch: the port's patchStatus REPLACES status (a
 * merge patch would keep keys the caller dropped, e.g. an old `message`). Replacing
 * `/metadata/resourceVersion` in the same patch is the API server's precondition idiom: the
 * patched object carries that version, and the update is refused with 409 when it is stale.
 */
function statusPatch(status: unknown, resourceVersion: string | undefined): object[] {
  const operations: object[] = [];
  if (resourceVersion) {
    operations.push({ op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion });
  }
  operations.push({ op: 'add', path: '/status', value: status });
  return operations;
}

export class CustomResourceBackend implements KindBackend {
  readonly #connection: KubeConnection;

  constructor(connection: KubeConnection) {
    this.#connection = connection;
  }

  #api(): CustomObjectsApi {
    return this.#connection.api(CustomObjectsApi);
  }

  async create(kind: ResourceKind, object: NewObject<unknown>): Promise<StoredObject> {
    const name = object.metadata.name;
    const namespace = requireNamespace(kind, object.metadata.namespace);
    const candidate = validateForWrite(
      kind,
      {
        apiVersion: kind.apiVersion,
        kind: kind.kind,
        metadata: { name, namespace, ...userMetadata(object.metadata) },
        spec: object.spec,
        status: object.status,
      },
      name,
    );
    const { status, ...body } = candidate;
    const api = this.#api();
    const created = await kubeCall<RawObject>(describeObject(kind, name), () =>
      api.createNamespacedCustomObject({ ...this.#coordinates(kind), namespace, body }),
    );
    // The status subresource makes the API server drop status on create; a status given at
    // creation is written right after, fenced to the version we just created.
    if (status === undefined) return toStored(kind, created);
    const version =
      typeof created.metadata?.['resourceVersion'] === 'string'
        ? created.metadata['resourceVersion']
        : undefined;
    return this.patchStatus(kind, namespace, name, status, version);
  }

  async get(
    kind: ResourceKind,
    namespace: string,
    name: string,
  ): Promise<StoredObject | undefined> {
    const api = this.#api();
    const found = await kubeRead<RawObject>(describeObject(kind, name), () =>
      api.getNamespacedCustomObject({
        ...this.#coordinates(kind),
        namespace: requireNamespace(kind, namespace),
        name,
      }),
    );
    return found ? toStored(kind, found) : undefined;
  }

  async list(
    kind: ResourceKind,
    namespace: string | undefined,
    options: ListOptions,
  ): Promise<ListResult<unknown>> {
    const query = {
      ...this.#coordinates(kind),
      labelSelector: labelSelectorString(options.labelSelector),
      limit: pageLimit(options),
      _continue: options.continue || undefined,
    };
    const api = this.#api();
    const listed = await kubeCall<RawList>(kind.plural, () =>
      namespace
        ? api.listNamespacedCustomObject({ ...query, namespace })
        : api.listCustomObjectForAllNamespaces(query),
    );
    const result: ListResult<unknown> = {
      items: (listed.items ?? []).map((item) => toStored(kind, item)),
      resourceVersion: listed.metadata?.resourceVersion ?? '',
    };
    if (listed.metadata?.continue) result.continue = listed.metadata.continue;
    return result;
  }

  async update(kind: ResourceKind, object: StoredObject): Promise<StoredObject> {
    const given = object.metadata;
    const namespace = requireNamespace(kind, given.namespace);
    const metadata: Record<string, unknown> = {
      name: given.name,
      namespace,
      ...userMetadata(given),
    };
    // uid and resourceVersion are the preconditions: the API server refuses (409) an object from
    // an earlier incarnation or an older version. An empty version is an unconditional write.
    if (given.uid) metadata['uid'] = given.uid;
    if (given.resourceVersion) metadata['resourceVersion'] = given.resourceVersion;
    const { status: _ignored, ...body } = validateForWrite(
      kind,
      { apiVersion: kind.apiVersion, kind: kind.kind, metadata, spec: object.spec },
      given.name,
    );
    const api = this.#api();
    try {
      const replaced = await kubeCall<RawObject>(describeObject(kind, given.name), () =>
        api.replaceNamespacedCustomObject({
          ...this.#coordinates(kind),
          namespace,
          name: given.name,
          body,
        }),
      );
      return toStored(kind, replaced);
    } catch (error) {
      // With a uid in the body, the API server reports a missing object as a failed uid
      // precondition (409); the port says not_found, so look before answering.
      if (isConflict(error) && !(await this.get(kind, namespace, given.name))) {
        throw new NotFoundError(`${describeObject(kind, given.name)} not found`);
      }
      throw error;
    }
  }

  async patchStatus(
    kind: ResourceKind,
    namespace: string,
    name: string,
    status: unknown,
    resourceVersion: string | undefined,
  ): Promise<StoredObject> {
    const parsed = validateStatus(kind, status, name);
    const api = this.#api();
    const patched = await kubeCall<RawObject>(describeObject(kind, name), () =>
      api.patchNamespacedCustomObjectStatus({
        ...this.#coordinates(kind),
        namespace: requireNamespace(kind, namespace),
        name,
        body: statusPatch(parsed, resourceVersion),
      }),
    );
    return toStored(kind, patched);
  }

  async delete(kind: ResourceKind, namespace: string, name: string): Promise<void> {
    const api = this.#api();
    await kubeCall(describeObject(kind, name), () =>
      api.deleteNamespacedCustomObject({
        ...this.#coordinates(kind),
        namespace: requireNamespace(kind, namespace),
        name,
      }),
    );
  }

  watchTarget(kind: ResourceKind, namespace: string | undefined): WatchTarget {
    const scope = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return {
      path: `/apis/${kind.group}/${kind.version}${scope}/${kind.plural}`,
      currentVersion: async () => (await this.list(kind, namespace, { limit: 1 })).resourceVersion,
      translate: (type: WatchEventType, raw: RawObject) => [{ type, object: toStored(kind, raw) }],
    };
  }

  #coordinates(kind: ResourceKind): { group: string; version: string; plural: string } {
    return { group: kind.group, version: kind.version, plural: kind.plural };
  }
}
