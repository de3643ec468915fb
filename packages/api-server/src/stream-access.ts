/**
 * Access re-checks for streams that are already open. A stream is admitted once, like any REST
 * call, but it may stay open for hours: without a re-check a reader whose grant was revoked (or
 * whose access key was deleted, or whose token expired) would go on reading. So each open stream
 * keeps an AccessWatch that asks again
 *   - before a batch is sent, when the last answer is older than the interval (a long catch-up or a
 *     busy live stream re-checks about once per interval, not once per batch);
 *   - every interval while the stream is idle (a silent stream is cut off too);
 *   - at once when this process changes the project's access (grant, revoke, key or project
 *     deleted: `accessChangesFor`). Other replicas and RBAC edits made with kubectl are only seen
 *     by the periodic check, which is why it exists at all.
 * A check answers the admission question again: the token still authenticates AND its holder still
 * has at least the view role in the project (cluster mode: TokenReview + SelfSubjectAccessReview
 * made with the reader's own token, so the request context is restored for it).
 */
import type { PermissionStore } from '@ambient/core';
import { roleAllows } from './auth/middleware.ts';
import type { ApiDeps } from './deps.ts';
import { runWithRequestContext } from './request-context.ts';

/** How long an answer is trusted; revoking a grant ends open streams within this much time. */
export const DEFAULT_ACCESS_RECHECK_MS = 30_000;

/** The reason an AccessWatch aborts its signal with when the reader lost access. */
export class AccessRevokedError extends Error {
  override readonly name = 'AccessRevokedError';
}

/** In-process notices of access changes per project, so open streams re-check at once. */
export class AccessChanges {
  readonly #listeners = new Map<string, Set<() => void>>();

  subscribe(project: string, listener: () => void): () => void {
    const listeners = this.#listeners.get(project) ?? new Set();
    listeners.add(listener);
    this.#listeners.set(project, listeners);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(project);
    };
  }

  notify(project: string): void {
    for (const listener of [...(this.#listeners.get(project) ?? [])]) listener();
  }
}

const changesByStore = new WeakMap<PermissionStore, AccessChanges>();

/** The access-change notices of one permission store (one per API server process and store). */
export function accessChangesFor(permissions: PermissionStore): AccessChanges {
  let changes = changesByStore.get(permissions);
  if (!changes) {
    changes = new AccessChanges();
    changesByStore.set(permissions, changes);
  }
  return changes;
}

export interface AccessWatchOptions {
  /** Whether the reader may still read; a throw means "cannot tell" and also ends the stream. */
  check(): Promise<boolean>;
  /** The longest an answer is trusted, and the period of the idle re-check. */
  intervalMs: number;
  /** Subscribes to immediate re-check notices; returns the unsubscribe. */
  subscribe?(listener: () => void): () => void;
}

export class AccessWatch {
  readonly #options: AccessWatchOptions;
  readonly #ended = new AbortController();
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #unsubscribe: () => void;
  #checkedAtMs = performance.now();
  #pending: Promise<boolean> | undefined;

  /** Starts watching; the caller has just been admitted, so the first answer is "yes". */
  constructor(options: AccessWatchOptions) {
    this.#options = options;
    this.#timer = setInterval(() => void this.#recheck(), options.intervalMs);
    this.#timer.unref();
    this.#unsubscribe = options.subscribe?.(() => void this.#recheck()) ?? (() => undefined);
  }

  /**
   * Aborted when the reader lost access (reason: AccessRevokedError) or a check failed (reason:
   * that error); streams end on it like on the reader leaving.
   */
  get signal(): AbortSignal {
    return this.#ended.signal;
  }

  get revoked(): boolean {
    return this.#ended.signal.reason instanceof AccessRevokedError;
  }

  /** Before a batch: true while the reader may read, re-checking first when the answer is stale. */
  async allows(): Promise<boolean> {
    if (this.#ended.signal.aborted) return false;
    if (this.#pending) return this.#pending;
    if (performance.now() - this.#checkedAtMs < this.#options.intervalMs) return true;
    return this.#recheck();
  }

  /** Wraps a send so nothing more reaches a reader who lost access. */
  guard<T>(send: (items: T) => Promise<void>): (items: T) => Promise<void> {
    return async (items) => {
      if (await this.allows()) await send(items);
    };
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#unsubscribe();
  }

  #recheck(): Promise<boolean> {
    if (this.#ended.signal.aborted) return Promise.resolve(false);
    this.#pending ??= this.#options.check().then(
      (allowed) => {
        this.#pending = undefined;
        this.#checkedAtMs = performance.now();
        if (!allowed) this.#end(new AccessRevokedError('access to this stream was revoked'));
        return allowed;
      },
      (error: unknown) => {
        this.#pending = undefined;
        this.#end(error);
        return false;
      },
    );
    return this.#pending;
  }

  #end(reason: unknown): void {
    this.stop();
    this.#ended.abort(reason);
  }
}

/**
 * Watches a reader's access to a project's streams: the bearer token it was admitted with must
 * still authenticate, and its holder must still hold at least the view role.
 */
export function watchReaderAccess(
  deps: ApiDeps,
  reader: { bearerToken: string; project: string; intervalMs?: number },
): AccessWatch {
  const { bearerToken, project } = reader;
  return new AccessWatch({
    intervalMs: reader.intervalMs ?? DEFAULT_ACCESS_RECHECK_MS,
    subscribe: (listener) => accessChangesFor(deps.permissions).subscribe(project, listener),
    check: async () => {
      const identity = await deps.authenticator.authenticate(bearerToken);
      if (!identity) return false;
      // Timers run outside the request that opened the stream: cluster-mode adapters need the caller.
      const role = await runWithRequestContext({ identity, bearerToken }, () =>
        deps.authorizer.roleIn(identity, project),
      );
      return roleAllows(role, 'view');
    },
  });
}
