/**
 * One error family for the whole platform. The API maps these to HTTP in exactly one place
 * (apps/api error handler); everything else throws them.
 */
const MARKER = Symbol.for('ambient.platform-error');

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'too_many_requests'
  | 'unavailable'
  | 'internal';

export class PlatformError extends Error {
  readonly [MARKER] = true;
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly isRetryable: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: unknown; cause?: unknown; isRetryable?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'PlatformError';
    this.code = code;
    this.details = options.details;
    this.isRetryable = options.isRetryable ?? false;
  }

  static isInstance(value: unknown): value is PlatformError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

export class NotFoundError extends PlatformError {
  constructor(message: string, details?: unknown) {
    super('not_found', message, { details });
  }
}

/** Optimistic-concurrency failure or a state that forbids the change (e.g. spec update while running). */
export class ConflictError extends PlatformError {
  constructor(message: string, details?: unknown) {
    super('conflict', message, { details, isRetryable: true });
  }
}

export class ValidationError extends PlatformError {
  constructor(message: string, details?: unknown) {
    super('bad_request', message, { details });
  }
}

/** A watch asked for a resourceVersion older than the store still remembers (HTTP 410 in Kubernetes). */
export class GoneError extends PlatformError {
  constructor(message: string) {
    super('gone', message);
  }
}

export class UnauthorizedError extends PlatformError {
  constructor(message = 'missing or invalid bearer token') {
    super('unauthorized', message);
  }
}

export class ForbiddenError extends PlatformError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export function isNotFound(error: unknown): boolean {
  return PlatformError.isInstance(error) && error.code === 'not_found';
}

export function isConflict(error: unknown): boolean {
  return PlatformError.isInstance(error) && error.code === 'conflict';
}
