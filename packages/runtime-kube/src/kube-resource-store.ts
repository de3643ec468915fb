/**
 * ResourceStore over the Kubernetes API (cluster mode). The CRD kinds are custom resources in
 * `vteam.ambient-code/v1alpha1` (custom-resources.ts); Project is a managed Namespace
 * (project-namespaces.ts). Kubernetes itself provides uid, resourceVersion (the etcd revision:
 * store-wide and increasing), generation, optimistic concurrency, finalizers and watch replay; this
 * class adds the platform's rules: zod validation before every write, the port's error family,
 * and the caller's credentials on every call in API server mode (kube-connection.ts).
 */
import type { ResourceKind } from '@ambient/contracts';
import { ValidationError } from '@ambient/core';
import type {
  ListOptions,
  ListResult,
  NewObject,
  ResourceStore,
  Stored,
  StoredObject,
  Unsubscribe,
  WatchEvent,
  WatchOptions,
} from '@ambient/core';
import { CustomResourceBackend } from './custom-resources.ts';
import type { KindBackend } from './kind-backend.ts';
import { KubeConnection } from './kube-connection.ts';
import type { KubeConnectionOptions } from './kube-connection.ts';
import { DEFAULT_WATCH_SETTINGS, startWatch } from './kube-watch.ts';
import type { KubeWatchSettings } from './kube-watch.ts';
import { ProjectNamespaceBackend } from './project-namespaces.ts';

export interface KubeResourceStoreOptions extends KubeConnectionOptions {
  /** Watch tuning and where a throwing watch listener is reported. */
  watch?: Partial<KubeWatchSettings>;
}

type StatusOf<T> = T extends { status?: infer S } ? S : unknown;

/** Backends work on untyped objects; the kind's schema has shaped them, so they are `T`s. */
function typed<T>(object: StoredObject): Stored<T> {
  return object as unknown as Stored<T>;
}

export class KubeResourceStore implements ResourceStore {
  readonly #connection: KubeConnection;
  readonly #customResources: CustomResourceBackend;
  readonly #projects: ProjectNamespaceBackend;
  readonly #watchSettings: KubeWatchSettings;
  /** Start-version reads of watches without a resourceVersion that have not answered yet. */
  readonly #watchStarts = new Set<Promise<string>>();

  constructor(options: KubeResourceStoreOptions) {
    this.#connection = new KubeConnection(options);
    this.#customResources = new CustomResourceBackend(this.#connection);
    this.#projects = new ProjectNamespaceBackend(this.#connection);
    this.#watchSettings = { ...DEFAULT_WATCH_SETTINGS, ...options.watch };
  }

  async create<T>(kind: ResourceKind<T>, object: NewObject<T>): Promise<Stored<T>> {
    await this.#afterWatchStarts();
    return typed<T>(await this.#backend(kind).create(kind, object as NewObject<unknown>));
  }

  async get<T>(
    kind: ResourceKind<T>,
    namespace: string,
    name: string,
  ): Promise<Stored<T> | undefined> {
    return (await this.#backend(kind).get(kind, namespace, name)) as Stored<T> | undefined;
  }

  async list<T>(
    kind: ResourceKind<T>,
    namespace?: string,
    options: ListOptions = {},
  ): Promise<ListResult<T>> {
    const scope = kind.namespaced ? namespace || undefined : undefined;
    return (await this.#backend(kind).list(kind, scope, options)) as ListResult<T>;
  }

  async update<T>(kind: ResourceKind<T>, object: Stored<T>): Promise<Stored<T>> {
    await this.#afterWatchStarts();
    return typed<T>(await this.#backend(kind).update(kind, object as unknown as StoredObject));
  }

  async patchStatus<T>(
    kind: ResourceKind<T>,
    namespace: string,
    name: string,
    status: StatusOf<T>,
    options: { resourceVersion?: string } = {},
  ): Promise<Stored<T>> {
    const backend = this.#backend(kind);
    await this.#afterWatchStarts();
    return typed<T>(
      await backend.patchStatus(kind, namespace, name, status, options.resourceVersion),
    );
  }

  async delete<T>(kind: ResourceKind<T>, namespace: string, name: string): Promise<void> {
    await this.#afterWatchStarts();
    await this.#backend(kind).delete(kind, namespace, name);
  }

  /**
   * Starts the watch and returns at once; failures after that (GoneError for a too old version,
   * lost permissions) arrive through `options.onError`. In API server mode the caller's token is
   * taken now and kept for the watch's lifetime (reconnects included).
   *
   * Without a resourceVersion the watch starts at the collection's current version, read by a
   * list that is sent before this method returns. Writes through this store wait until that read
   * has answered, so a change the caller makes after `watch` returned is always delivered (the
   * read could otherwise reach etcd after the write and start the watch past it). Writes from
   * elsewhere are concurrent with the watch's start and may or may not be included.
   */
  watch<T>(
    kind: ResourceKind<T>,
    options: WatchOptions,
    onEvent: (event: WatchEvent<T>) => void,
  ): Unsubscribe {
    this.#backend(kind);
    const connection = this.#connection.pinned();
    const backend = this.#isProject(kind)
      ? new ProjectNamespaceBackend(connection)
      : new CustomResourceBackend(connection);
    const namespace = kind.namespaced ? options.namespace || undefined : undefined;
    const target = backend.watchTarget(kind, namespace);
    let startVersion: Promise<string> | undefined;
    if (!options.resourceVersion) {
      const pending = target.currentVersion();
      this.#watchStarts.add(pending);
      const forget = (): void => void this.#watchStarts.delete(pending);
      pending.then(forget, forget);
      startVersion = pending;
    }
    return startWatch({
      watcher: connection.watcher(),
      target,
      options,
      onEvent,
      settings: this.#watchSettings,
      ...(startVersion ? { startVersion } : {}),
    });
  }

  /** Lets the start reads of watches begun before this write answer first (see `watch`). */
  async #afterWatchStarts(): Promise<void> {
    if (this.#watchStarts.size > 0) await Promise.allSettled([...this.#watchStarts]);
  }

  #isProject(kind: ResourceKind): boolean {
    return !kind.crd && kind.kind === 'Project';
  }

  #backend(kind: ResourceKind): KindBackend {
    if (kind.crd) return this.#customResources;
    if (this.#isProject(kind)) return this.#projects;
    throw new ValidationError(`${kind.kind} is not stored in Kubernetes by this store`);
  }
}
