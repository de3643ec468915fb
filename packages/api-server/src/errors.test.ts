/** The one HTTP error mapping: statuses, bodies, and Retry-After on a retryable 503. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { NotFoundError, PlatformError } from '@ambient/core';
import { createLogger } from '@ambient/logger';
import { createErrorHandler, RETRY_AFTER_SECONDS } from './errors.ts';

function appThrowing(error: Error): Hono {
  const app = new Hono();
  app.onError(createErrorHandler(createLogger('errors-test', { level: 'silent' })));
  app.get('/', () => {
    throw error;
  });
  return app;
}

describe('error responses', () => {
  it('tells the client when to retry a 503 that will clear (a workspace viewer starting)', async () => {
    const response = await appThrowing(new PlatformError('unavailable', 'starting the workspace viewer; retry shortly', { isRetryable: true })).request('/');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(await response.json()).toEqual({ error: 'unavailable', message: 'starting the workspace viewer; retry shortly' });
  });

  it('sends no Retry-After for a 503 that asking again will not change, nor for client errors', async () => {
    const final = await appThrowing(new PlatformError('unavailable', 'not in this mode')).request('/');
    expect(final.status).toBe(503);
    expect(final.headers.get('retry-after')).toBeNull();
    const missing = await appThrowing(new NotFoundError('no such session')).request('/');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('retry-after')).toBeNull();
  });

  it('never echoes the message of an unexpected error', async () => {
    const response = await appThrowing(new Error('password=hunter2 at /internal/path')).request('/');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'internal', message: 'internal server error' });
  });
});
