/**
 * Slows down token guessing: after a few failed authentications from one client address, further
 * attempts from it are refused with 429 for a time that doubles with each failure (capped).
 */
import { PlatformError } from '@ambient/core';

export const FREE_FAILURES = 10;
export const BASE_BLOCK_MS = 1_000;
export const MAX_BLOCK_MS = 5 * 60_000;
/** Failures older than this are forgotten. */
export const FAILURE_WINDOW_MS = 10 * 60_000;
const MAX_TRACKED_CLIENTS = 10_000;

interface ClientState {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export class AuthFailureLimiter {
  private readonly clients = new Map<string, ClientState>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Throws a 429 while the client is blocked. */
  check(client: string): void {
    const state = this.clients.get(client);
    if (!state) return;
    const now = this.now();
    if (now - state.lastFailureAt > FAILURE_WINDOW_MS) {
      this.clients.delete(client);
      return;
    }
    if (state.blockedUntil > now) {
      const retryAfterSeconds = Math.ceil((state.blockedUntil - now) / 1000);
      throw new PlatformError('too_many_requests', `too many failed authentications; retry in ${retryAfterSeconds}s`, {
        details: { retryAfterSeconds },
      });
    }
  }

  recordFailure(client: string): void {
    const now = this.now();
    const state = this.clients.get(client) ?? { failures: 0, lastFailureAt: now, blockedUntil: 0 };
    state.failures += 1;
    state.lastFailureAt = now;
    if (state.failures > FREE_FAILURES) {
      state.blockedUntil = now + Math.min(MAX_BLOCK_MS, BASE_BLOCK_MS * 2 ** (state.failures - FREE_FAILURES - 1));
    }
    if (!this.clients.has(client) && this.clients.size >= MAX_TRACKED_CLIENTS) {
      const oldest = this.clients.keys().next().value;
      if (oldest !== undefined) this.clients.delete(oldest);
    }
    this.clients.set(client, state);
  }

  recordSuccess(client: string): void {
    this.clients.delete(client);
  }
}
