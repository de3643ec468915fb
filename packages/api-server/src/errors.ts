/**
 * The one place errors become HTTP responses. Every error body is `{error, message, details?}`;
 * client mistakes are 4xx with a message that says what was wrong; a 500 never echoes internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { PlatformError } from '@ambient/core';
import type { ErrorCode } from '@ambient/core';
import type { ErrorBody } from '@ambient/contracts';
import type { Logger } from '@ambient/logger';
import { redactSecrets } from '@ambient/logger';

const STATUS_BY_CODE: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  too_many_requests: 429,
  unavailable: 503,
  internal: 500,
};

export function toErrorResponse(error: unknown): { status: ContentfulStatusCode; body: ErrorBody } {
  if (PlatformError.isInstance(error)) {
    const body: ErrorBody = { error: error.code, message: redactSecrets(error.message) };
    if (error.details !== undefined) body.details = error.details;
    return { status: STATUS_BY_CODE[error.code], body };
  }
  if (error instanceof z.ZodError) {
    return {
      status: 400,
      body: { error: 'bad_request', message: 'the request is invalid', details: issuesOf(error) },
    };
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    return { status, body: { error: codeForStatus(status), message: redactSecrets(error.message || 'request failed') } };
  }
  return { status: 500, body: { error: 'internal', message: 'internal server error' } };
}

export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

function codeForStatus(status: number): string {
  const entry = Object.entries(STATUS_BY_CODE).find(([, value]) => value === status);
  return entry?.[0] ?? (status >= 500 ? 'internal' : 'bad_request');
}

/** What a retryable 503 tells the client to wait before asking again. */
export const RETRY_AFTER_SECONDS = 2;

export function createErrorHandler(logger: Logger) {
  return (error: Error, c: Context): Response => {
    const { status, body } = toErrorResponse(error);
    // A retryable 503 is a known, short wait (a workspace viewer starting, a binding propagating):
    // say when to ask again, and keep it out of the error log.
    const retryLater = status === 503 && PlatformError.isInstance(error) && error.isRetryable;
    if (status >= 500 && !retryLater) {
      logger.error({ err: error, method: c.req.method, path: c.req.path }, 'http.unhandled_error');
    }
    if (retryLater) c.header('retry-after', String(RETRY_AFTER_SECONDS));
    return c.json(body, status);
  };
}
