/**
 * Parsers for option values. They throw commander's InvalidArgumentError, so a bad value is reported
 * like any other usage error (one line, exit code 2).
 */
import { InvalidArgumentError } from 'commander';
import type { SessionRepo } from '@ambient/contracts';

/** Non-negative integers only: `--after 1e3` or `--timeout 5.5` are mistakes, not numbers. */
export function parseInteger(
  value: string,
  minimum: number,
  maximum = Number.MAX_SAFE_INTEGER,
): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number.');
  const number = Number(value);
  if (number < minimum || number > maximum) {
    throw new InvalidArgumentError(`expected a number from ${minimum} to ${maximum}.`);
  }
  return number;
}

export const parseSeq = (value: string): number => parseInteger(value, 0);
export const parseSeconds = (value: string): number => parseInteger(value, 1, 7 * 24 * 3600);
export const parsePort = (value: string): number => parseInteger(value, 0, 65_535);

/**
 * `url[@branch]`. The branch is after the last `@`, but only when what precedes it already has a
 * path (`https://host/org/repo@main`, `git@host:org/repo.git@main`), so the user part of
 * `git@host:org/repo.git` or `https://user@host/repo` is never mistaken for a branch. Branches may
 * contain `/` but never `:` (git forbids it in ref names).
 */
export function parseRepo(value: string): Pick<SessionRepo, 'url' | 'branch'> {
  if (!value.trim()) throw new InvalidArgumentError('the repository URL is empty.');
  const at = value.lastIndexOf('@');
  if (at <= 0) return { url: value };
  const url = value.slice(0, at);
  const branch = value.slice(at + 1);
  const schemeEnd = url.indexOf('://');
  const hasPath = schemeEnd >= 0 ? url.indexOf('/', schemeEnd + 3) >= 0 : /[:/]/.test(url);
  if (!hasPath || branch.includes(':')) return { url: value };
  if (!branch) throw new InvalidArgumentError('the branch after "@" is empty.');
  return { url, branch };
}

/** commander calls this once per `--repo`, threading the list through. */
export function collectRepo(value: string, previous: Pick<SessionRepo, 'url' | 'branch'>[] = []) {
  return [...previous, parseRepo(value)];
}
