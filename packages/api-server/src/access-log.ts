/**
 * One structured log line per request, with credentials removed from the URL (`?token=` used by
 * browsers for EventSource/WebSocket) — headers are never logged.
 */
import { createMiddleware } from 'hono/factory';
import type { Logger } from '@ambient/logger';
import { redactSecrets } from '@ambient/logger';
import type { AppEnv } from './auth/middleware.ts';

export function accessLog(logger: Logger) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const startedAt = performance.now();
    await next();
    const durationMs = Math.round((performance.now() - startedAt) * 10) / 10;
    const url = new URL(c.req.url);
    const status = c.res.status;
    const line = {
      method: c.req.method,
      path: redactSecrets(`${url.pathname}${url.search}`),
      status,
      durationMs,
      userId: c.get('identity')?.userId,
    };
    if (status >= 500) logger.error(line, 'http.request');
    else logger.info(line, 'http.request');
  });
}
