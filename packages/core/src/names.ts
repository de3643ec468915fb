/**
 * Collision-free resource names. `session-<unix seconds>` (the system the seed describes) collides
 * when two sessions are created in the same second; a random suffix does not.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SUFFIX_LENGTH = 8;

export function randomSuffix(length = SUFFIX_LENGTH): string {
  const bytes = randomBytes(length);
  let suffix = '';
  for (const byte of bytes) suffix += ALPHABET[byte % ALPHABET.length];
  return suffix;
}

/** e.g. `session-k3x9a0q2zm1b`: time-ordered prefix then randomness. */
export function generateSessionName(nowMs: number = Date.now()): string {
  return `session-${nowMs.toString(36)}${randomSuffix(4)}`;
}

/** Deterministic per run, so creating the run's workload is idempotent. */
export function runWorkloadName(sessionName: string, runNumber: number): string {
  return `${sessionName}-run-${runNumber}`;
}
