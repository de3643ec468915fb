/** Small helpers the contract suites share; adapter-neutral (no timing assumptions beyond a bound). */
import { PlatformError } from '@ambient/core';
import type { ErrorCode } from '@ambient/core';
import { expect } from 'vitest';

/** Awaits `action` and checks it failed with a PlatformError of `code`; returns that error. */
export async function expectPlatformError(
  action: Promise<unknown>,
  code: ErrorCode,
): Promise<PlatformError> {
  const error = await action.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  return checkPlatformError(error, code);
}

/** As `expectPlatformError`, for a synchronous call (e.g. `watch`, which returns a handle). */
export function expectPlatformErrorSync(action: () => unknown, code: ErrorCode): PlatformError {
  let error: unknown;
  try {
    action();
  } catch (caught) {
    error = caught;
  }
  return checkPlatformError(error, code);
}

function checkPlatformError(error: unknown, code: ErrorCode): PlatformError {
  expect(error, `expected a PlatformError with code ${code}`).toBeDefined();
  if (!PlatformError.isInstance(error)) {
    throw new Error(`expected a PlatformError with code ${code}, got ${String(error)}`, {
      cause: error,
    });
  }
  expect(error.code).toBe(code);
  return error;
}

export interface TimingOptions {
  /** Upper bound for something asynchronous (a live event) to happen. */
  timeoutMs: number;
  /** How long "nothing more arrives" is observed before asserting an exact sequence. */
  quietPeriodMs: number;
}

export const DEFAULT_TIMING: TimingOptions = { timeoutMs: 5_000, quietPeriodMs: 50 };

/** Polls until `condition` holds, failing with `description` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean,
  description: string,
  timing: TimingOptions = DEFAULT_TIMING,
): Promise<void> {
  const deadline = Date.now() + timing.timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timing.timeoutMs} ms: ${description}`);
    await sleep(5);
  }
}

/** Waits for `count` items, then a quiet period, so an exact comparison also catches extras. */
export async function waitForCount(
  items: readonly unknown[],
  count: number,
  description: string,
  timing: TimingOptions = DEFAULT_TIMING,
): Promise<void> {
  await waitUntil(
    () => items.length >= count,
    `${description} (have ${items.length} of ${count})`,
    timing,
  );
  await sleep(timing.quietPeriodMs);
}

export function sleep(durationMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, durationMs));
}

/** Resource versions are opaque strings to clients, but the contract says they are counters. */
export function versionNumber(resourceVersion: string): bigint {
  expect(resourceVersion).toMatch(/^\d+$/);
  return BigInt(resourceVersion);
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A DNS-label-safe unique name, so suites can share one backend (a cluster) without collisions. */
export function uniqueName(prefix: string): string {
  let suffix = '';
  for (let index = 0; index < 8; index += 1) {
    suffix += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  }
  return `${prefix}-${suffix}`;
}
