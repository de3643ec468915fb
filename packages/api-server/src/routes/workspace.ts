/**
 * Session workspace files: list, read, write and delete, confined to the workspace. Paths are
 * resolved and checked against the workspace root after following symlinks, so neither `..` nor a
 * link planted by the agent reaches outside. Runner internals (.ambient, .claude) are not exposed.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { lstat, mkdir, readdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { resourceNameSchema } from '@ambient/contracts';
import { ForbiddenError, NotFoundError, PlatformError, ValidationError } from '@ambient/core';
import type { AppEnv } from '../auth/middleware.ts';
import type { ApiDeps } from '../deps.ts';
import { parseWith } from '../validation.ts';
import { loadProject } from './projects.ts';
import { getSession } from '../session-service.ts';

export const HIDDEN_ENTRIES = new Set(['.ambient', '.claude']);
export const MAX_FILE_READ_BYTES = 10 * 1024 * 1024;

/** Checks a client path and returns it relative to the workspace root ('' is the root). */
export function confinedRelativePath(raw: string): string {
  const decoded = raw.replace(/^\/+/, '');
  if (decoded.includes('\0')) throw new ValidationError('the path contains a NUL byte');
  if (isAbsolute(decoded)) throw new ValidationError('the path must be relative to the workspace');
  const normalised = normalize(decoded === '' ? '.' : decoded);
  if (normalised === '..' || normalised.startsWith(`..${sep}`)) {
    throw new ForbiddenError('the path leaves the workspace');
  }
  const relativePath = normalised === '.' ? '' : normalised.replace(/\/+$/, '');
  const first = relativePath.split(sep)[0] ?? '';
  if (HIDDEN_ENTRIES.has(first)) throw new NotFoundError(`no such file in the workspace: ${relativePath}`);
  return relativePath;
}

async function resolveInside(root: string, relativePath: string, options: { forWrite: boolean }): Promise<string> {
  const realRoot = await realpath(root);
  const target = join(realRoot, relativePath);
  // The deepest existing ancestor must resolve inside the root (covers symlinked directories).
  let probe = target;
  for (;;) {
    try {
      const resolved = await realpath(probe);
      const inside = relative(realRoot, resolved);
      if (inside.startsWith('..') || isAbsolute(inside)) throw new ForbiddenError('the path leaves the workspace');
      break;
    } catch (error) {
      if (PlatformError.isInstance(error)) throw error;
      if (!options.forWrite && probe === target) throw new NotFoundError(`no such file in the workspace: ${relativePath || '/'}`);
      const parent = dirname(probe);
      if (parent === probe) break;
      probe = parent;
    }
  }
  return target;
}

export function workspaceRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  async function workspaceRoot(project: string, sessionName: string): Promise<string> {
    const name = parseWith(resourceNameSchema, sessionName, 'session name');
    await getSession(deps, project, name);
    const root = deps.runtime.workspacePath?.(project, name);
    if (!root) throw new PlatformError('unavailable', 'workspace files are not available in this mode yet');
    await mkdir(root, { recursive: true });
    return root;
  }

  const pathOf = (c: { req: { path: string } }, sessionName: string): string => {
    const marker = `/${sessionName}/workspace`;
    const index = c.req.path.indexOf(marker);
    return decodeURIComponent(index >= 0 ? c.req.path.slice(index + marker.length) : '');
  };

  app.get('/:session/workspace/*', async (c) => read(c));
  app.get('/:session/workspace', async (c) => read(c));

  async function read(c: Context<AppEnv>) {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'view');
    const session = c.req.param('session') ?? '';
    const root = await workspaceRoot(project.metadata.name, session);
    const relativePath = confinedRelativePath(pathOf(c, session));
    const target = await resolveInside(root, relativePath, { forWrite: false });
    const info = await stat(target);
    if (info.isDirectory()) {
      const entries = await readdir(target, { withFileTypes: true });
      const items = await Promise.all(
        entries
          .filter((entry) => !(relativePath === '' && HIDDEN_ENTRIES.has(entry.name)))
          .map(async (entry) => {
            const entryInfo = await lstat(join(target, entry.name));
            return {
              name: entry.name,
              path: relativePath ? `${relativePath}/${entry.name}` : entry.name,
              type: entry.isDirectory() ? 'directory' : entry.isSymbolicLink() ? 'symlink' : 'file',
              size: entryInfo.size,
              modifiedAt: entryInfo.mtime.toISOString(),
            };
          }),
      );
      items.sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'directory' ? -1 : 1));
      return c.json({ path: relativePath, items });
    }
    if (info.size > MAX_FILE_READ_BYTES) {
      throw new PlatformError('payload_too_large', `the file is larger than ${MAX_FILE_READ_BYTES} bytes`);
    }
    return c.body(new Uint8Array(await readFile(target)), 200, { 'content-type': 'application/octet-stream' });
  }

  app.put('/:session/workspace/*', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'edit');
    const session = c.req.param('session');
    const root = await workspaceRoot(project.metadata.name, session);
    const relativePath = confinedRelativePath(pathOf(c, session));
    if (relativePath === '') throw new ValidationError('give a file path to write');
    const target = await resolveInside(root, relativePath, { forWrite: true });
    await mkdir(dirname(target), { recursive: true });
    await resolveInside(root, relative(root, dirname(target)), { forWrite: true });
    const body = new Uint8Array(await c.req.arrayBuffer());
    await writeFile(target, body);
    return c.json({ path: relativePath, size: body.byteLength }, 201);
  });

  app.delete('/:session/workspace/*', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'edit');
    const session = c.req.param('session');
    const root = await workspaceRoot(project.metadata.name, session);
    const relativePath = confinedRelativePath(pathOf(c, session));
    if (relativePath === '') throw new ValidationError('refusing to delete the whole workspace');
    const target = await resolveInside(root, relativePath, { forWrite: false });
    await rm(target, { recursive: true, force: true });
    return c.body(null, 204);
  });

  return app;
}
