/** Backoff for reads and reconnects: PostgreSQL hiccups (failover, restarts) are expected in a cluster. */

export type ErrorReporter = (error: unknown) => void;

/** Listener and background-read failures are reported, never thrown into a caller that cannot act. */
export const reportBackgroundError: ErrorReporter = (error) => {
  console.error('[runtime-postgres] background failure', error);
};

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 50, maxDelayMs: 5_000 };

export function sleep(durationMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, durationMs));
}

/**
 * Runs `operation` until it succeeds, reporting each failure and waiting longer each time; gives up
 * (returns `undefined`) as soon as `isActive` turns false, e.g. the follower unsubscribed or the
 * adapter was closed.
 */
export async function retryWhileActive<T>(
  operation: () => Promise<T>,
  isActive: () => boolean,
  onError: ErrorReporter,
  backoff: BackoffOptions = DEFAULT_BACKOFF,
): Promise<{ value: T } | undefined> {
  let delayMs = backoff.initialDelayMs;
  while (isActive()) {
    try {
      return { value: await operation() };
    } catch (error) {
      if (!isActive()) return undefined;
      onError(error);
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, backoff.maxDelayMs);
    }
  }
  return undefined;
}

/** A promise with its settle functions, whose rejection never counts as unhandled. */
export interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

export function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
