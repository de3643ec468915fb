/**
 * Session workspace files: list, read, write and delete, confined to the workspace. The HTTP layer
 * only checks access and the path (core's confinedRelativePath); the WorkspaceFiles port does the
 * rest: the workspace directory in embedded mode, the session's runner or workspace viewer over the
 * runner channel in cluster mode (docs/adr/0010). Both refuse `..`, symbolic links out of the
 * workspace and the runner internals (.ambient, .claude).
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { resourceNameSchema } from '@ambient/contracts';
import { confinedRelativePath, PlatformError, ValidationError } from '@ambient/core';
import type { WorkspaceFiles, WorkspaceSession } from '@ambient/core';
import type { AppEnv } from '../auth/middleware.ts';
import type { ApiDeps } from '../deps.ts';
import { parseWith } from '../validation.ts';
import { loadProject } from './projects.ts';
import { getSession } from '../session-service.ts';

/** Kept for existing importers; the rules live in core (workspace-files.ts). */
export { confinedRelativePath };

export function workspaceRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const files = deps.workspaceFiles;

  /** Checks access, the session and the path; the path is the rest of the URL after /workspace. */
  async function target(c: Context<AppEnv>, role: 'view' | 'edit'): Promise<{ files: WorkspaceFiles; session: WorkspaceSession; relativePath: string }> {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, role);
    const sessionName = parseWith(resourceNameSchema, c.req.param('session') ?? '', 'session name');
    const stored = await getSession(deps, project.metadata.name, sessionName);
    if (!files) throw new PlatformError('unavailable', 'workspace files are not available in this deployment');
    const marker = `/${sessionName}/workspace`;
    const index = c.req.path.indexOf(marker);
    const rawPath = index >= 0 ? c.req.path.slice(index + marker.length) : '';
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      throw new ValidationError('the path is not valid percent-encoding');
    }
    return {
      files,
      session: {
        project: project.metadata.name,
        sessionName,
        sessionUid: stored.metadata.uid,
        runCount: stored.status?.runCount ?? 0,
      },
      relativePath: confinedRelativePath(decoded),
    };
  }

  async function read(c: Context<AppEnv>) {
    const { files: workspace, session, relativePath } = await target(c, 'view');
    const result = await workspace.read(session, relativePath);
    if (result.kind === 'directory') return c.json({ path: result.path, items: result.items });
    return c.body(new Uint8Array(result.content), 200, { 'content-type': 'application/octet-stream' });
  }

  app.get('/:session/workspace/*', async (c) => read(c));
  app.get('/:session/workspace', async (c) => read(c));

  app.put('/:session/workspace/*', async (c) => {
    const { files: workspace, session, relativePath } = await target(c, 'edit');
    if (relativePath === '') throw new ValidationError('give a file path to write');
    const body = new Uint8Array(await c.req.arrayBuffer());
    return c.json(await workspace.write(session, relativePath, body), 201);
  });

  app.delete('/:session/workspace/*', async (c) => {
    const { files: workspace, session, relativePath } = await target(c, 'edit');
    if (relativePath === '') throw new ValidationError('refusing to delete the whole workspace');
    await workspace.delete(session, relativePath);
    return c.body(null, 204);
  });

  return app;
}
