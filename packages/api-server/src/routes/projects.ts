/** /api/projects: tenants. Embedded mode stores a Project object plus its ProjectSettings. */
import { Hono } from 'hono';
import {
  AgenticSessionKind,
  createProjectRequestSchema,
  PROJECT_SETTINGS_NAME,
  ProjectKind,
  ProjectSettingsKind,
  resourceNameSchema,
  updateProjectRequestSchema,
} from '@ambient/contracts';
import type { Project, ProjectView } from '@ambient/contracts';
import { ConflictError, ForbiddenError, isConflict, NotFoundError } from '@ambient/core';
import type { Stored } from '@ambient/core';
import type { ApiDeps } from '../deps.ts';
import type { AppEnv, Identity } from '../auth/middleware.ts';
import { deleteSession } from '../session-service.ts';
import { requireProjectRole } from '../auth/middleware.ts';
import { accessChangesFor } from '../stream-access.ts';
import { parseJsonBody, parseWith } from '../validation.ts';

export function projectView(project: Stored<Project>): ProjectView {
  return {
    name: project.metadata.name,
    displayName: project.spec.displayName,
    description: project.spec.description,
    creationTimestamp: project.metadata.creationTimestamp,
    uid: project.metadata.uid,
  };
}

export function projectNotFound(name: string): NotFoundError {
  return new NotFoundError(`project "${name}" not found`);
}

/** Resolves the project and checks the caller's role; outsiders get 404. */
export async function loadProject(
  deps: ApiDeps,
  identity: Identity,
  rawName: string,
  action: 'view' | 'edit' | 'admin',
): Promise<Stored<Project>> {
  const name = parseWith(resourceNameSchema, rawName, 'project name');
  const project = await deps.store.get(ProjectKind, '', name);
  if (!project) throw projectNotFound(name);
  await requireProjectRole(deps.authorizer, identity, name, action, () => projectNotFound(name));
  return project;
}

export function projectRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const identity = c.get('identity');
    const { items } = await deps.store.list(ProjectKind);
    const visible: ProjectView[] = [];
    for (const project of items) {
      if (await deps.authorizer.roleIn(identity, project.metadata.name)) visible.push(projectView(project));
    }
    return c.json({ items: visible });
  });

  app.post('/', async (c) => {
    const identity = c.get('identity');
    if (!(await deps.authorizer.canCreateProjects(identity))) {
      throw new ForbiddenError('you may not create projects');
    }
    const body = await parseJsonBody(c, createProjectRequestSchema);
    let project: Stored<Project>;
    const spec = { displayName: body.displayName, description: body.description };
    try {
      project = deps.projectCreator
        ? await deps.projectCreator(body.name, spec, identity)
        : await deps.store.create(ProjectKind, {
            metadata: { name: body.name, annotations: { 'ambient-code.io/created-by': identity.userId } },
            spec,
          });
    } catch (error) {
      if (isConflict(error)) throw new ConflictError(`project "${body.name}" already exists`);
      throw error;
    }
    // The creator administers the project (as the system the seed describes does with a RoleBinding);
    // a projectCreator (cluster mode) has granted it already.
    if (!deps.projectCreator) {
      await deps.permissions.grant(body.name, { subjectType: 'user', subjectName: identity.userId, role: 'admin' });
    }
    await deps.store.create(ProjectSettingsKind, {
      metadata: { name: PROJECT_SETTINGS_NAME, namespace: body.name },
      spec: { groupAccess: [] },
    }).catch((error: unknown) => {
      if (!isConflict(error)) throw error;
    });
    return c.json(projectView(project), 201);
  });

  app.get('/:project', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project'), 'view');
    return c.json(projectView(project));
  });

  app.put('/:project', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project'), 'admin');
    const body = await parseJsonBody(c, updateProjectRequestSchema);
    const updated = await deps.store.update(ProjectKind, { ...project, spec: { ...project.spec, ...body } });
    return c.json(projectView(updated));
  });

  app.delete('/:project', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project'), 'admin');
    await deleteProject(deps, project.metadata.name);
    accessChangesFor(deps.permissions).notify(project.metadata.name);
    return c.body(null, 204);
  });

  return app;
}

/** Deletes a project and everything in it: sessions (with runners and history), settings, grants, keys. */
export async function deleteProject(deps: ApiDeps, name: string): Promise<void> {
  const { items } = await deps.store.list(AgenticSessionKind, name);
  for (const session of items) await deleteSession(deps, name, session.metadata.name);
  await deps.store.delete(ProjectSettingsKind, name, PROJECT_SETTINGS_NAME).catch(() => undefined);
  await deps.permissions.deleteProject(name);
  await deps.identities.deleteProjectTokens(name);
  await deps.store.delete(ProjectKind, '', name);
}
