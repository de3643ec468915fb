/** The HTTP application: routes and middleware over the injected ports. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PlatformError } from '@ambient/core';
import type { ApiDeps } from './deps.ts';
import { MAX_BODY_BYTES } from './deps.ts';
import type { AppEnv } from './auth/middleware.ts';
import { authenticate } from './auth/middleware.ts';
import { AuthFailureLimiter } from './auth/failure-limiter.ts';
import { accessLog } from './access-log.ts';
import { createErrorHandler } from './errors.ts';
import { serveWebUi } from './static-web.ts';
import { openApiRoutes } from './openapi/index.ts';
import { accessKeyRoutes } from './routes/access-keys.ts';
import { authRoutes, publicAuthRoutes } from './routes/auth.ts';
import { permissionRoutes } from './routes/permissions.ts';
import { projectConfigRoutes } from './routes/project-config.ts';
import { projectEventRoutes } from './routes/project-events.ts';
import { sessionHistoryRoutes } from './routes/session-history.ts';
import { projectRoutes } from './routes/projects.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { userRoutes } from './routes/users.ts';
import { workspaceRoutes } from './routes/workspace.ts';

export function createApp(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(createErrorHandler(deps.logger));
  app.notFound((c) => c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));

  app.use('*', accessLog(deps.logger));
  app.get('/health', (c) => c.json({ status: 'healthy' }));

  const limiter = new AuthFailureLimiter();
  const api = new Hono<AppEnv>();
  api.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new PlatformError('payload_too_large', `the request body exceeds ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  api.route('/', openApiRoutes());
  api.route('/auth', publicAuthRoutes(deps, limiter));
  api.use('*', authenticate(deps.authenticator, limiter));
  api.route('/auth', authRoutes());
  api.route('/users', userRoutes(deps));
  api.route('/projects', projectRoutes(deps));
  api.get('/cluster-info', (c) => c.json({ mode: deps.mode, isOpenShift: false, apiVersion: 'vteam.ambient-code/v1alpha1' }));
  api.route('/projects/:project', permissionRoutes(deps));
  api.route('/projects/:project', projectConfigRoutes(deps));
  api.route('/projects/:project', projectEventRoutes(deps));
  api.route('/projects/:project/keys', accessKeyRoutes(deps));
  api.route('/projects/:project/agentic-sessions', sessionRoutes(deps));
  api.route('/projects/:project/agentic-sessions', sessionHistoryRoutes(deps));
  api.route('/projects/:project/agentic-sessions', workspaceRoutes(deps));
  app.route('/api', api);
  if (deps.webUiDirectory) serveWebUi(app, { directory: deps.webUiDirectory });
  return app;
}
