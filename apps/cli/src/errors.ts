/**
 * How failures reach the user: one line on stderr (`error: …`) and an exit code: 1 when the work
 * failed, 2 when the command line was wrong. Messages never contain the token: server messages are
 * redacted at the source, and the CLI never puts the token into one.
 */
import { CommanderError } from 'commander';
import { ClientError, ConnectionError } from '@ambient/client';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** What shells report for a process ended by Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/** A command line that cannot work, found after parsing (commander reports the rest itself). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface ValidationIssue {
  path: string;
  message: string;
}

function isValidationIssueList(details: unknown): details is ValidationIssue[] {
  return (
    Array.isArray(details) &&
    details.every(
      (issue: unknown) =>
        typeof issue === 'object' && issue !== null && 'path' in issue && 'message' in issue,
    )
  );
}

export function describeError(error: unknown): string {
  if (error instanceof ClientError) {
    let message = error.message;
    if (isValidationIssueList(error.details) && error.details.length > 0) {
      message += ` (${error.details.map((issue) => `${issue.path}: ${issue.message}`).join('; ')})`;
    }
    if (error.status === 401) message += '; run `ambient login` again';
    return message;
  }
  if (error instanceof ConnectionError)
    return `${error.message} (is the platform running? \`ambient start\`)`;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version requests end "successfully"; everything else commander rejects is usage.
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
      ? EXIT_OK
      : EXIT_USAGE;
  }
  return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
}
