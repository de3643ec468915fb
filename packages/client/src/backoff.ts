/**
 * Retry timing. Exponential backoff with jitter: many clients that lost their connection at the same
 * moment (a server restart) must not come back in lockstep — that reconnect storm is what took the
 * previous system's backend down (ADR 0003).
 */

export interface BackoffOptions {
  /** Delay scale of the first retry. */
  initialDelayMs: number;
  /** Upper bound of any single delay. */
  maxDelayMs: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 250, maxDelayMs: 10_000 };

/**
 * Delay before retry number `attempt` (1-based): "equal jitter", half fixed and half random, so a
 * delay is never near zero (no hammering) yet clients spread out.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const random = options.random ?? Math.random;
  const exponent = Math.max(0, attempt - 1);
  const ceilingMs = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** exponent);
  return Math.round(ceilingMs / 2 + random() * (ceilingMs / 2));
}

/** Waits `delayMs`, or less when `signal` aborts (it resolves then; callers check the signal). */
export function sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
