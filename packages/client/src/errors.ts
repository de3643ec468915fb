/**
 * The two ways a call fails. The server answered with a non-2xx status: `ClientError`, carrying the
 * body's `{error, message, details?}`. The server could not be reached (after the retries an
 * idempotent request gets): `ConnectionError`. Callers show `message` as it is; it never holds the
 * token.
 */
import { errorBodySchema } from '@ambient/contracts';

export class ClientError extends Error {
  override readonly name = 'ClientError';

  constructor(
    /** HTTP status of the response. */
    readonly status: number,
    /** The body's machine-readable `error` (e.g. `not_found`, `conflict`, `bad_request`). */
    readonly code: string,
    message: string,
    /** The body's `details`: for 400s, the validation issues `[{path, message}]`. */
    readonly details?: unknown,
    /** The `Retry-After` of a 503 the server expects to clear soon (e.g. a workspace viewer starting). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  static isInstance(value: unknown): value is ClientError {
    return value instanceof ClientError;
  }
}

export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';

  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(`cannot reach ${url}: ${describeCause(cause)}`);
  }
}

/** The response's body did not have the shape the contracts promise (a version mismatch, a proxy). */
export class InvalidResponseError extends Error {
  override readonly name = 'InvalidResponseError';
}

/**
 * Statuses worth retrying with the same request: a proxy or the server was briefly unavailable
 * (a restart, a rolling update). Never 4xx: the same request would fail the same way.
 */
export function isTransientStatus(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}

/**
 * Builds the error for a non-2xx response. Bodies are always `{error, message, details?}` from our
 * server; anything else (an HTML page from a proxy) still becomes a readable ClientError.
 */
export async function errorFromResponse(response: Response): Promise<ClientError> {
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = errorBodySchema.safeParse(json);
  if (parsed.success) {
    return new ClientError(
      response.status,
      parsed.data.error,
      parsed.data.message,
      parsed.data.details,
      retryAfterOf(response),
    );
  }
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  const statusText = response.statusText || 'request failed';
  return new ClientError(
    response.status,
    `http_${response.status}`,
    snippet ? `${response.status} ${statusText}: ${snippet}` : `${response.status} ${statusText}`,
  );
}

/** `Retry-After` in seconds (the delta form; our server never sends a date). */
function retryAfterOf(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

/** Node's fetch hides the useful part (ECONNREFUSED…) in `cause`. */
function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause;
    if (inner instanceof Error && inner.message) return inner.message;
    return cause.message;
  }
  return String(cause);
}
