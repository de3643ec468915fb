/**
 * Kubernetes API failures → the platform's error family (core/errors.ts), in one place.
 *
 * Messages come only from the API server's `Status.message` (e.g. `agenticsessions.vteam.ambient-code
 * "x" already exists`) or from fixed text. client-node's own ApiException message embeds the whole
 * response (headers and body); we never copy it, and never attach the exception as `cause`, so
 * nothing request-specific can reach a log or an HTTP answer — least of all a bearer token.
 */
import { ApiException } from '@kubernetes/client-node';
import {
  ConflictError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  PlatformError,
  UnauthorizedError,
  ValidationError,
} from '@ambient/core';

/** The parts of a metav1.Status we use. */
export interface ApiStatus {
  code?: number;
  reason?: string;
  message?: string;
  details?: { causes?: { field?: string; message?: string; reason?: string }[] };
}

/** The HTTP status of a failed call: ApiException (typed clients) or `statusCode` (Watch). */
export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const statusCode = (error as { statusCode: unknown }).statusCode;
    return typeof statusCode === 'number' ? statusCode : undefined;
  }
  return undefined;
}

export function isHttpStatus(error: unknown, code: number): boolean {
  return httpStatusOf(error) === code;
}

/** The Status object of an ApiException; client-node hands the body over as raw text. */
export function apiStatusOf(error: unknown): ApiStatus | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const body: unknown = error.body;
  if (typeof body === 'object' && body !== null) return body as ApiStatus;
  if (typeof body !== 'string' || body === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as ApiStatus) : undefined;
  } catch {
    return undefined;
  }
}

/** The HTTP statuses with a dedicated platform error; everything else is "unavailable". */
const BY_STATUS: Record<
  number,
  (message: string, status: ApiStatus | undefined, what: string) => PlatformError
> = {
  400: (message, status) => new ValidationError(message, status?.details?.causes ?? []),
  401: () => new UnauthorizedError(),
  403: (message) => new ForbiddenError(message),
  404: (_message, status, what) => new NotFoundError(status?.message ?? `${what} not found`),
  409: (message, status) => new ConflictError(message, { reason: status?.reason ?? 'Conflict' }),
  410: (message) => new GoneError(message),
  413: (message) => new PlatformError('payload_too_large', message),
  422: (message, status) => new ValidationError(message, status?.details?.causes ?? []),
  429: (message) => new PlatformError('too_many_requests', message, { isRetryable: true }),
};

/**
 * Maps any failure of a Kubernetes call. `what` names the object for messages the server did not
 * explain (e.g. `agenticsessions "s1"`). Errors that already are PlatformErrors pass through.
 */
export function toPlatformError(error: unknown, what: string): PlatformError {
  if (PlatformError.isInstance(error)) return error;
  const code = httpStatusOf(error);
  if (code === undefined) {
    // No HTTP answer at all (connection refused, TLS, DNS): the cluster is unreachable. The
    // network error's own text names only the URL, which carries no credentials.
    return new PlatformError(
      'unavailable',
      `Kubernetes API unreachable (${what}): ${describe(error)}`,
      {
        isRetryable: true,
      },
    );
  }
  const status = apiStatusOf(error);
  const message = status?.message ?? `${what}: HTTP ${code}`;
  const make = BY_STATUS[code];
  if (make) return make(message, status, what);
  return new PlatformError('unavailable', message, { isRetryable: code >= 500 });
}

/** Runs one API call and rethrows its failure as a PlatformError. */
export async function kubeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toPlatformError(error, what);
  }
}

/** Like kubeCall, but a 404 becomes `undefined` (reads of things that may not exist). */
export async function kubeRead<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isHttpStatus(error, 404)) return undefined;
    throw toPlatformError(error, what);
  }
}

function describe(error: unknown): string {
  if (error instanceof ApiException) return `HTTP ${error.code}`;
  return error instanceof Error ? error.message : String(error);
}
