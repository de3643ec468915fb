/**
 * List-then-watch with automatic relisting: the minimal reflector the process kubelet needs
 * (client-node's informer cannot take a field selector such as `spec.nodeName=<node>`).
 * Every object seen is handed to `sync`; objects that disappear (a DELETED event, or missing from a
 * relist after a broken watch) to `removed`.
 */
import { Watch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';

export interface ResourceWatchHandlers<T extends KubernetesObject> {
  sync(object: T): void;
  removed(object: T): void;
  onError(message: string, error: unknown): void;
}

export interface ResourceWatch {
  /** Resolves after the first list has been handed to `sync`. */
  ready: Promise<void>;
  stop(): void;
}

const RELIST_DELAY_MS = 1_000;

export function watchResources<T extends KubernetesObject>(
  kubeConfig: KubeConfig,
  path: string,
  query: Record<string, string>,
  list: () => Promise<KubernetesListObject<T>>,
  handlers: ResourceWatchHandlers<T>,
): ResourceWatch {
  const known = new Map<string, T>();
  let stopped = false;
  let abort: AbortController | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const remember = (object: T) => {
    const uid = object.metadata?.uid;
    if (uid) known.set(uid, object);
    handlers.sync(object);
  };
  const forget = (object: T) => {
    const uid = object.metadata?.uid;
    if (uid) known.delete(uid);
    handlers.removed(object);
  };

  const restartLater = () => {
    if (stopped) return;
    abort = undefined;
    setTimeout(() => void run(), RELIST_DELAY_MS).unref();
  };

  async function run(): Promise<void> {
    if (stopped) return;
    try {
      const listed = await list();
      const present = new Set(listed.items.map((item) => item.metadata?.uid));
      for (const [uid, object] of known) if (!present.has(uid)) forget(object);
      for (const item of listed.items) remember(item);
      markReady();
      if (stopped) return;
      const watch = new Watch(kubeConfig);
      const resourceVersion = listed.metadata?.resourceVersion ?? '0';
      abort = await watch.watch(
        path,
        { ...query, resourceVersion, allowWatchBookmarks: true },
        (phase: string, object: T) => {
          if (phase === 'ADDED' || phase === 'MODIFIED') remember(object);
          else if (phase === 'DELETED') forget(object);
          else if (phase === 'ERROR') abort?.abort(); // e.g. 410 Gone: relist
        },
        (error: unknown) => {
          if (error && !stopped) handlers.onError(`watch ${path} ended`, error);
          restartLater();
        },
      );
    } catch (error) {
      handlers.onError(`list/watch ${path} failed`, error);
      restartLater();
    }
  }
  void run();

  return {
    ready,
    stop() {
      stopped = true;
      abort?.abort();
    },
  };
}
