/**
 * How KubeResourceStore talks to Kubernetes for one family of kinds: custom resources (the CRD
 * kinds) or Projects (Namespaces). The store picks the backend by kind and handles what is common.
 */
import type { ResourceKind } from '@ambient/contracts';
import type {
  ListOptions,
  ListResult,
  NewObject,
  StoredObject,
  WatchEvent,
  WatchEventType,
} from '@ambient/core';
import type { RawObject } from './kube-objects.ts';

export interface WatchTarget {
  /** API path of the collection, e.g. `/apis/vteam.ambient-code/v1alpha1/namespaces/p/agenticsessions`. */
  path: string;
  labelSelector?: string;
  /** The collection's current resourceVersion, for a watch that starts "from now". */
  currentVersion(): Promise<string>;
  /** One raw watch event → the port's events (none when the backend hides the change). */
  translate(type: WatchEventType, raw: RawObject): WatchEvent<unknown>[];
}

export interface KindBackend {
  create(kind: ResourceKind, object: NewObject<unknown>): Promise<StoredObject>;
  get(kind: ResourceKind, namespace: string, name: string): Promise<StoredObject | undefined>;
  list(
    kind: ResourceKind,
    namespace: string | undefined,
    options: ListOptions,
  ): Promise<ListResult<unknown>>;
  update(kind: ResourceKind, object: StoredObject): Promise<StoredObject>;
  patchStatus(
    kind: ResourceKind,
    namespace: string,
    name: string,
    status: unknown,
    resourceVersion: string | undefined,
  ): Promise<StoredObject>;
  delete(kind: ResourceKind, namespace: string, name: string): Promise<void>;
  /** Watching needs a path per call: in API server mode the caller's identity is bound per watch. */
  watchTarget(kind: ResourceKind, namespace: string | undefined): WatchTarget;
}
