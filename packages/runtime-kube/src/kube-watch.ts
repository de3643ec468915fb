/**
 * `watch` over the Kubernetes API with client-node's Watch, keeping the port's semantics:
 *
 * - from a resourceVersion: the API server replays every change after it (from its watch cache),
 *   then follows live; a version it no longer has answers 410, reported as GoneError;
 * - without one ("only future changes"): the collection's current version is read first (a list
 *   of one item) and the watch starts there. A plain Kubernetes watch without a version would
 *   first send every existing object as ADDED, which the port does not do;
 * - the API server ends every watch after `timeoutSeconds` (and on restarts); the stream is then
 *   resumed from the last version seen (bookmarks included), so callers see one unbroken watch;
 * - failures after `watch` returned go to `options.onError` (GoneError, UnauthorizedError,
 *   ForbiddenError, …) and end the watch; transient ones (network, 5xx) are retried with backoff.
 */
import type { Watch } from '@kubernetes/client-node';
import { GoneError } from '@ambient/core';
import type { Unsubscribe, WatchEvent, WatchEventType, WatchOptions } from '@ambient/core';
import type { WatchTarget } from './kind-backend.ts';
import { httpStatusOf, toPlatformError } from './kube-errors.ts';
import type { ApiStatus } from './kube-errors.ts';
import type { RawObject } from './kube-objects.ts';

export interface KubeWatchSettings {
  /** Server-side lifetime of one watch request before it is resumed (default 300 s). */
  timeoutSeconds: number;
  /** First retry delay after a transient failure; doubles up to maxRetryDelayMs. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  onListenerError: (error: unknown) => void;
}

export const DEFAULT_WATCH_SETTINGS: KubeWatchSettings = {
  timeoutSeconds: 300,
  retryDelayMs: 200,
  maxRetryDelayMs: 5_000,
  onListenerError: (error) => console.error('[runtime-kube] a watch listener threw', error),
};

const EVENT_TYPES: readonly string[] = ['ADDED', 'MODIFIED', 'DELETED'];

/** HTTP statuses after which retrying cannot help: the watch ends and the caller is told. */
const TERMINAL_STATUSES = new Set([400, 401, 403, 404, 410, 422]);

function reportUnhandled(path: string): (error: Error) => void {
  return (error) =>
    console.error(`[runtime-kube] watch of ${path} ended (no onError given): ${error.message}`);
}

export interface StartWatchInput<T> {
  watcher: Watch;
  target: WatchTarget;
  options: WatchOptions;
  onEvent: (event: WatchEvent<T>) => void;
  settings: KubeWatchSettings;
  /**
   * For a watch without a resourceVersion: the collection's current version, already being read
   * (the caller started the read before returning from `watch`, see KubeResourceStore.watch).
   */
  startVersion?: Promise<string>;
}

export function startWatch<T>(input: StartWatchInput<T>): Unsubscribe {
  const { watcher, target, options, onEvent, settings } = input;
  const onError = options.onError ?? reportUnhandled(target.path);
  let lastVersion = options.resourceVersion || undefined;
  let startVersion = input.startVersion;
  let stopped = false;
  let request: AbortController | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelayMs = settings.retryDelayMs;

  const stop = (): void => {
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    request?.abort();
  };

  const fail = (error: Error): void => {
    if (stopped) return;
    stop();
    onError(error);
  };

  // Resuming from lastVersion loses nothing, so a short pause costs only latency; the delay grows
  // while nothing arrives (a server that keeps failing) and resets with every event.
  const retry = (): void => {
    if (stopped) return;
    const delayMs = retryDelayMs;
    retryDelayMs = Math.min(retryDelayMs * 2, settings.maxRetryDelayMs);
    retryTimer = setTimeout(() => void connect(), delayMs);
  };

  const onFailure = (error: unknown): void => {
    if (stopped) return;
    const status = httpStatusOf(error);
    if (status !== undefined && TERMINAL_STATUSES.has(status)) {
      fail(toPlatformError(error, target.path));
    } else {
      retry();
    }
  };

  const deliver = (type: WatchEventType, raw: RawObject): void => {
    for (const event of target.translate(type, raw)) {
      try {
        onEvent(event as WatchEvent<T>);
      } catch (error) {
        settings.onListenerError(error);
      }
    }
  };

  const onLine = (type: string, object: unknown): void => {
    if (stopped) return;
    const raw = (object ?? {}) as RawObject;
    if (type === 'ERROR') {
      // Inside a 200 stream the API server reports failures as an ERROR event carrying a Status;
      // "too old resource version" is code 410. The stream closes right after.
      const status = raw as ApiStatus;
      if (status.code === 410) fail(new GoneError(status.message ?? 'too old resource version'));
      else if (status.code !== undefined && TERMINAL_STATUSES.has(status.code)) {
        fail(
          toPlatformError(
            Object.assign(new Error(status.message), { statusCode: status.code }),
            target.path,
          ),
        );
      }
      return;
    }
    const version = raw.metadata?.['resourceVersion'];
    if (typeof version === 'string' && version !== '') lastVersion = version;
    retryDelayMs = settings.retryDelayMs;
    if (EVENT_TYPES.includes(type)) deliver(type as WatchEventType, raw);
  };

  const connect = async (): Promise<void> => {
    try {
      if (lastVersion === undefined) {
        // The first attempt uses the read started by `watch`; a retry after it failed reads anew.
        const pending = startVersion ?? target.currentVersion();
        startVersion = undefined;
        lastVersion = await pending;
      }
      if (stopped) return;
      const controller = await watcher.watch(
        target.path,
        {
          resourceVersion: lastVersion,
          allowWatchBookmarks: true,
          labelSelector: target.labelSelector,
          timeoutSeconds: settings.timeoutSeconds,
        },
        onLine,
        (error: unknown) => {
          if (stopped) return;
          // A clean end (the server's timeoutSeconds, a restart) resumes from the last version.
          if (error === null || error === undefined) retry();
          else onFailure(error);
        },
      );
      if (stopped) controller.abort();
      else request = controller;
    } catch (error) {
      onFailure(error);
    }
  };

  void connect();
  return stop;
}
