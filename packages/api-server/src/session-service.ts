/** Session operations shared by the REST routes (and later the CLI and RFE workflows). */
import {
  AgenticSessionKind,
  SESSION_ANNOTATIONS,
  TERMINAL_SESSION_PHASES,
} from '@ambient/contracts';
import type { AgenticSession, AgenticSessionSpec, CreateSessionRequest } from '@ambient/contracts';
import { ConflictError, generateSessionName, isConflict, NotFoundError, runWorkloadName, ValidationError } from '@ambient/core';
import type { Stored } from '@ambient/core';
import type { Identity } from './auth/middleware.ts';
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

