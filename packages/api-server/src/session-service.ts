/** Session operations shared by the REST routes (and later the CLI and RFE workflows). */
import {
  AgenticSessionKind,
  SESSION_ANNOTATIONS,
  TERMINAL_SESSION_PHASES,
} from '@ambient/contracts';
import type { AgenticSession, AgenticSessionSpec, CreateSessionRequest } from '@ambient/contracts';
import type { z } from 'zod';
import type { listSessionsQuerySchema, patchSessionRequestSchema, updateSessionRequestSchema } from '@ambient/contracts';
import { ConflictError, generateSessionName, isConflict, NotFoundError, runWorkloadName, ValidationError } from '@ambient/core';
import type { Stored } from '@ambient/core';
import type { Identity } from './auth/middleware.ts';
import { compactionCacheFor } from './compaction-cache.ts';
import type { ApiDeps } from './deps.ts';

/** Attempts at a fresh random name before giving up (a collision is already vanishingly rare). */
const NAME_ATTEMPTS = 5;

export function buildSessionSpec(body: CreateSessionRequest, identity: Identity): AgenticSessionSpec {
  const initialPrompt = body.initialPrompt ?? body.prompt;
  const interactive = body.interactive ?? true;
  if (!interactive && !initialPrompt) {
    throw new ValidationError('a non-interactive session needs a prompt', [
      { path: 'initialPrompt', message: 'required when interactive is false' },
    ]);
  }
  return {
    initialPrompt,
    displayName: body.displayName,
    interactive,
    repos: body.repos,
    llmSettings: body.llmSettings,
    timeout: body.timeout,
    inactivityTimeout: body.inactivityTimeout,
    environmentVariables: body.environmentVariables,
    parentSessionName: body.parentSessionName,
    agent: body.agent,
    agentSettings: body.agentSettings,
    userContext: { userId: identity.userId, displayName: identity.displayName, groups: identity.groups },
  };
}

export async function createSession(
  deps: ApiDeps,
  project: string,
  body: CreateSessionRequest,
  identity: Identity,
): Promise<Stored<AgenticSession>> {
  const spec = buildSessionSpec(body, identity);
  if (spec.parentSessionName) await getSession(deps, project, spec.parentSessionName);
  for (let attempt = 1; ; attempt += 1) {
    try {
      const created = await deps.store.create(AgenticSessionKind, {
        metadata: {
          name: generateSessionName(deps.clock.now().getTime()),
          namespace: project,
          labels: body.labels,
          annotations: { ...body.annotations, [SESSION_ANNOTATIONS.createdBy]: identity.userId },
        },
        spec,
      });
      deps.onSessionChanged(project, created.metadata.name);
      return created;
    } catch (error) {
      if (!isConflict(error) || attempt >= NAME_ATTEMPTS) throw error;
    }
  }
}

export async function getSession(deps: ApiDeps, project: string, name: string): Promise<Stored<AgenticSession>> {
  const session = await deps.store.get(AgenticSessionKind, project, name);
  if (!session) throw new NotFoundError(`session "${name}" not found in project "${project}"`);
  return session;
}

export function isSessionTerminal(session: AgenticSession): boolean {
  return TERMINAL_SESSION_PHASES.includes(session.status?.phase ?? 'Pending');
}

/** Records the user's intent; the controller does the rest. */
export async function requestPhase(
  deps: ApiDeps,
  project: string,
  name: string,
  desired: 'Running' | 'Stopped',
): Promise<Stored<AgenticSession>> {
  for (;;) {
    const session = await getSession(deps, project, name);
    const annotations: Record<string, string> = {
      ...session.metadata.annotations,
      [SESSION_ANNOTATIONS.desiredPhase]: desired,
    };
    const stamp = desired === 'Stopped' ? SESSION_ANNOTATIONS.stopRequestedAt : SESSION_ANNOTATIONS.startRequestedAt;
    annotations[stamp] = deps.clock.now().toISOString();
    try {
      const updated = await deps.store.update(AgenticSessionKind, {
        ...session,
        metadata: { ...session.metadata, annotations },
      });
      deps.onSessionChanged(project, name);
      return updated;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
}

/** Deletes the session and everything it owns: its runner, workspace and event history. */
export async function deleteSession(deps: ApiDeps, project: string, name: string): Promise<void> {
  const session = await getSession(deps, project, name);
  const runCount = session.status?.runCount ?? 0;
  if (runCount > 0) await deps.runtime.delete(project, runWorkloadName(name, runCount), { gracePeriodMs: 2_000 });
  await deps.store.delete(AgenticSessionKind, project, name);
  await deps.events.deleteSession(session.metadata.uid);
  compactionCacheFor(deps.events).forget(session.metadata.uid);
  await deps.commands.deleteSession(session.metadata.uid);
  await deps.runtime.deleteWorkspace(project, name);
}

export function assertAcceptsMessages(session: AgenticSession): void {
  if (!session.spec.interactive) {
    throw new ConflictError(`session "${session.metadata.name}" is not interactive; it takes no follow-up messages`);
  }
  if (isSessionTerminal(session) || session.status?.phase === 'Stopping') {
    throw new ConflictError(
      `session "${session.metadata.name}" is ${session.status?.phase}; start it again before sending messages`,
    );
  }
}

/** Phases in which the runner uses the spec: changing it then would not do what the user meant. */
const SPEC_LOCKED_PHASES = new Set(['Creating', 'Running', 'Stopping']);

export async function updateSessionSpec(
  deps: ApiDeps,
  project: string,
  name: string,
  changes: z.infer<typeof updateSessionRequestSchema>,
): Promise<Stored<AgenticSession>> {
  for (;;) {
    const session = await getSession(deps, project, name);
    const phase = session.status?.phase ?? 'Pending';
    if (SPEC_LOCKED_PHASES.has(phase)) {
      throw new ConflictError(`session "${name}" is ${phase}; stop it before changing its spec`);
    }
    try {
      return await deps.store.update(AgenticSessionKind, { ...session, spec: { ...session.spec, ...changes } });
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
}

export async function patchSessionMetadata(
  deps: ApiDeps,
  project: string,
  name: string,
  patch: z.infer<typeof patchSessionRequestSchema>,
): Promise<Stored<AgenticSession>> {
  const apply = (current: Record<string, string> | undefined, changes: Record<string, string | null> | undefined) => {
    const next = { ...current };
    for (const [key, value] of Object.entries(changes ?? {})) {
      if (value === null) delete next[key];
      else next[key] = value;
    }
    return next;
  };
  for (;;) {
    const session = await getSession(deps, project, name);
    const metadata = {
      ...session.metadata,
      annotations: apply(session.metadata.annotations, patch.annotations),
      labels: apply(session.metadata.labels, patch.labels),
    };
    try {
      const updated = await deps.store.update(AgenticSessionKind, { ...session, metadata });
      deps.onSessionChanged(project, name);
      return updated;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
}

/** A copy of the session's spec in another project, as a new session owned by the caller. */
export async function cloneSession(
  deps: ApiDeps,
  source: Stored<AgenticSession>,
  targetProject: string,
  identity: Identity,
  displayName?: string,
): Promise<Stored<AgenticSession>> {
  const { userContext: _previousOwner, parentSessionName: _parent, ...spec } = source.spec;
  return createSession(
    deps,
    targetProject,
    {
      ...spec,
      displayName: displayName ?? (spec.displayName ? `${spec.displayName} (copy)` : undefined),
      annotations: { 'ambient-code.io/cloned-from': `${source.metadata.namespace}/${source.metadata.name}` },
    },
    identity,
  );
}

export interface SessionPage {
  items: Stored<AgenticSession>[];
  totalCount: number;
  continue?: string;
}

/** Newest first; `continue` is the offset of the next page (opaque to clients). */
export async function listSessions(
  deps: ApiDeps,
  project: string,
  query: z.infer<typeof listSessionsQuerySchema>,
): Promise<SessionPage> {
  const { items } = await deps.store.list(AgenticSessionKind, project);
  const search = query.search?.toLowerCase();
  const matching = items
    .filter((session) => !query.phase || (session.status?.phase ?? 'Pending') === query.phase)
    .filter(
      (session) =>
        !search ||
        session.metadata.name.includes(search) ||
        (session.spec.displayName ?? '').toLowerCase().includes(search),
    )
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  const offset = query.continue ? Number.parseInt(query.continue, 10) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new ValidationError('the continue token is invalid');
  const page = matching.slice(offset, offset + query.limit);
  const next = offset + page.length;
  return { items: page, totalCount: matching.length, continue: next < matching.length ? String(next) : undefined };
}
