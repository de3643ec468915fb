/**
 * Project configuration: ProjectSettings (defaults, model endpoint, limits) and project secrets.
 * Secret values are write-only: reads list the keys that are set and when, never the values.
 */
import { Hono } from 'hono';
import {
  PROJECT_SETTINGS_NAME,
  ProjectSettingsKind,
  projectSecretsRequestSchema,
  projectSettingsSpecSchema,
  RUNNER_SECRET_KEYS as RUNNER_SECRET_KEY_LIST,
} from '@ambient/contracts';
import { isConflict, NotFoundError, SECRET_NAMES } from '@ambient/core';
import type { AppEnv } from '../auth/middleware.ts';
import type { ApiDeps } from '../deps.ts';
import { parseJsonBody } from '../validation.ts';
import { loadProject } from './projects.ts';

/** Keys accepted in the runner secret (the model credentials a runner needs). */
export const RUNNER_SECRET_KEYS: ReadonlySet<string> = new Set(RUNNER_SECRET_KEY_LIST);

export function projectConfigRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/settings', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'view');
    const settings = await deps.store.get(ProjectSettingsKind, project.metadata.name, PROJECT_SETTINGS_NAME);
    if (!settings) throw new NotFoundError(`project "${project.metadata.name}" has no settings yet`);
    return c.json(settings);
  });

  app.put('/settings', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'admin');
    const spec = await parseJsonBody(c, projectSettingsSpecSchema.strict());
    for (;;) {
      const current = await deps.store.get(ProjectSettingsKind, project.metadata.name, PROJECT_SETTINGS_NAME);
      try {
        const saved = current
          ? await deps.store.update(ProjectSettingsKind, { ...current, spec })
          : await deps.store.create(ProjectSettingsKind, { metadata: { name: PROJECT_SETTINGS_NAME, namespace: project.metadata.name }, spec });
        return c.json(saved);
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  });

  for (const [path, secretName, allowedKeys] of [
    ['/runner-secrets', SECRET_NAMES.runner, RUNNER_SECRET_KEYS],
    ['/integration-secrets', SECRET_NAMES.integrations, undefined],
  ] as const) {
    app.get(path, async (c) => {
      // Admins only: which credentials a project holds is theirs to manage (cluster mode could not
      // show even the key names to others without granting them the Secret's values).
      const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'admin');
      return c.json({ name: secretName, keys: await deps.secrets.describe(project.metadata.name, secretName) });
    });
    app.put(path, async (c) => {
      const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'admin');
      const { data } = await parseJsonBody(c, projectSecretsRequestSchema);
      const unknown = allowedKeys ? Object.keys(data).filter((key) => !allowedKeys.has(key)) : [];
      if (unknown.length > 0) {
        return c.json(
          { error: 'bad_request', message: `keys not accepted in ${secretName}: ${unknown.join(', ')}`, details: { allowed: [...(allowedKeys ?? [])] } },
          400,
        );
      }
      return c.json({ name: secretName, keys: await deps.secrets.put(project.metadata.name, secretName, data) });
    });
  }

  return app;
}
