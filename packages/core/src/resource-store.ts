/**
 * ResourceStore: Kubernetes semantics over any backing store (SQLite in embedded mode, the
 * Kubernetes API in cluster mode).
 *
 * Invariants every adapter keeps (checked by the shared contract suite):
 * - `resourceVersion` is a store-wide, strictly increasing counter rendered as a string;
 * - `generation` starts at 1 and grows only when `spec` changes;
 * - `update` with a stale `metadata.resourceVersion` throws ConflictError, and never touches status;
 * - `patchStatus` changes only `status` (and resourceVersion);
 * - `watch` from a resourceVersion replays every change after it, then follows live; a version the
 *   store no longer remembers throws GoneError.
 */
import type { ObjectMeta, ResourceKind } from '@ambient/contracts';

export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string; uid: string; resourceVersion: string; generation: number };
  spec: unknown;
  status?: unknown;
}

export type Stored<T> = T & { metadata: StoredObject['metadata'] };

export interface ListOptions {
  /** Equality selectors only: { app: 'x' } matches labels.app === 'x'. */
  labelSelector?: Record<string, string>;
  limit?: number;
  /** Opaque token from a previous page's `continue`. */
  continue?: string;
}

export interface ListResult<T> {
  items: Stored<T>[];
  resourceVersion: string;
  continue?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent<T> {
  type: WatchEventType;
  object: Stored<T>;
}

export interface WatchOptions {
  namespace?: string;
  /** Replay changes strictly after this version; omit to receive only future changes. */
  resourceVersion?: string;
  /**
   * Called once when the watch ends on its own after `watch` returned (the handle is then dead and
   * the caller must re-list): GoneError when the version became too old for the store (HTTP 410),
   * UnauthorizedError/ForbiddenError when the credentials stop working. Adapters that detect every
   * such failure synchronously (SQLite throws GoneError from `watch` itself) may never call it;
   * an adapter that talks to a remote store (the Kubernetes API) reports through it, because the
   * port returns the Unsubscribe handle before the server has answered.
   */
  onError?: (error: Error) => void;
}

export type Unsubscribe = () => void;

export interface NewObject<T> {
  metadata: Omit<ObjectMeta, 'uid' | 'resourceVersion' | 'generation' | 'creationTimestamp'> & {
    name: string;
  };
  spec: T extends { spec: infer S } ? S : unknown;
  status?: T extends { status?: infer S } ? S : unknown;
}

export interface ResourceStore {
  create<T>(kind: ResourceKind<T>, object: NewObject<T>): Promise<Stored<T>>;
  get<T>(kind: ResourceKind<T>, namespace: string, name: string): Promise<Stored<T> | undefined>;
  list<T>(kind: ResourceKind<T>, namespace?: string, options?: ListOptions): Promise<ListResult<T>>;
  /** Replace metadata (labels, annotations, ownerReferences, finalizers) and spec. */
  update<T>(kind: ResourceKind<T>, object: Stored<T>): Promise<Stored<T>>;
  /** Replace status. With `resourceVersion`, fails with ConflictError when it is stale. */
  patchStatus<T>(
    kind: ResourceKind<T>,
    namespace: string,
    name: string,
    status: T extends { status?: infer S } ? S : unknown,
    options?: { resourceVersion?: string },
  ): Promise<Stored<T>>;
  delete<T>(kind: ResourceKind<T>, namespace: string, name: string): Promise<void>;
  watch<T>(
    kind: ResourceKind<T>,
    options: WatchOptions,
    onEvent: (event: WatchEvent<T>) => void,
  ): Unsubscribe;
}
