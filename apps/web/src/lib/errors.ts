/** How failures read in the UI, and which ones mean "sign in again". */
import { ClientError, ConnectionError } from '@ambient/client';

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ClientError && error.status === 401;
}

export function isForbiddenOrUnauthorized(error: unknown): boolean {
  return error instanceof ClientError && (error.status === 401 || error.status === 403);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ClientError && error.status === 404;
}

/** The server's own message (it never holds the token), or a plain sentence for network trouble. */
export function describeError(error: unknown): string {
  if (error instanceof ConnectionError) return 'Cannot reach the server. Check that the platform is running.';
  if (error instanceof ClientError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
