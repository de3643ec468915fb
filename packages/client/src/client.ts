/**
 * The typed client of the platform API: one method per route, bodies validated with the contract
 * schemas, errors as ClientError / ConnectionError. The CLI and the web UI both use it.
 */
import {
  agenticSessionSchema,
  createSessionResponseSchema,
  projectViewSchema,
  runResponseSchema,
} from '@ambient/contracts';
import type {
  createSessionRequestSchema,
  AgenticSession,
  CreateProjectRequest,
  ProjectView,
  SessionEvent,
} from '@ambient/contracts';
import { z } from 'zod';
import { createAuthApi } from './auth-api.ts';
import type { AuthApi } from './auth-api.ts';
import { streamSessionEvents } from './event-stream.ts';
import { createProjectConfigApi } from './project-config-api.ts';
import type { ProjectConfigApi } from './project-config-api.ts';
import { createSessionToolsApi } from './session-tools-api.ts';
import type { SessionToolsApi } from './session-tools-api.ts';
import type { SessionEventsOptions } from './event-stream.ts';
import { followProjectEvents } from './project-events.ts';
import type { ProjectEventsOptions } from './project-events.ts';
import {
  healthResponseSchema,
  interruptResponseSchema,
  phaseRequestResponseSchema,
  projectListSchema,
  sessionListSchema,
} from './responses.ts';
import type { HealthResponse, InterruptResponse, PhaseRequestResponse } from './responses.ts';
import { segment, Transport } from './transport.ts';
import type { TransportOptions } from './transport.ts';

export type ClientOptions = TransportOptions;
/**
 * What callers pass to `sessions.create`: the contract's CreateSessionRequest as the server accepts
 * it (zod input type), so fields with server-side defaults (`repos[].autoPush`) stay optional.
 */
export type CreateSessionInput = z.input<typeof createSessionRequestSchema>;
export type CreateSessionResponse = z.infer<typeof createSessionResponseSchema>;
export type RunResponse = z.infer<typeof runResponseSchema>;

/** Every call takes an optional signal to cancel it. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Projects, and (from ProjectConfigApi) their access, permissions, keys, settings and secrets. */
export interface ProjectsApi extends ProjectConfigApi {
  list(options?: CallOptions): Promise<ProjectView[]>;
  get(project: string, options?: CallOptions): Promise<ProjectView>;
  create(body: CreateProjectRequest, options?: CallOptions): Promise<ProjectView>;
  /**
   * Follows the project's session changes (a `reset` with the whole list, then one frame per
   * change), reconnecting with the last resourceVersion; see ProjectEventsOptions. Resolves when
   * `signal` aborts, rejects when the stream cannot go on.
   */
  events(project: string, options: ProjectEventsOptions): Promise<void>;
}

/** Sessions, and (from SessionToolsApi) clone, export and the workspace files. */
export interface SessionsApi extends SessionToolsApi {
  /** Every session of the project, newest first (the server's order), across all pages. */
  list(project: string, options?: CallOptions): Promise<AgenticSession[]>;
  create(
    project: string,
    body: CreateSessionInput,
    options?: CallOptions,
  ): Promise<CreateSessionResponse>;
  get(project: string, name: string, options?: CallOptions): Promise<AgenticSession>;
  /** Deletes the session with its runner, workspace and history. */
  delete(project: string, name: string, options?: CallOptions): Promise<void>;
  /** Records the intent to stop; the session reaches `Stopped` shortly after. */
  stop(project: string, name: string, options?: CallOptions): Promise<PhaseRequestResponse>;
  /** Records the intent to (re)start a stopped or finished session. */
  start(project: string, name: string, options?: CallOptions): Promise<PhaseRequestResponse>;
  /** A follow-up user message for an interactive session; `runId` is the echoed message's id. */
  send(project: string, name: string, text: string, options?: CallOptions): Promise<RunResponse>;
  /** Ends the current turn; the session stays usable. */
  interrupt(project: string, name: string, options?: CallOptions): Promise<InterruptResponse>;
  /** The seq of the session's last stored event (0 when it has none). */
  lastSeq(project: string, name: string, options?: CallOptions): Promise<number>;
  /** Live events with exact resume; see SessionEventsOptions. */
  events(
    project: string,
    name: string,
    options?: SessionEventsOptions,
  ): AsyncIterable<SessionEvent>;
}

export interface AmbientClient {
  /** The normalised server root the client talks to. */
  readonly baseUrl: string;
  health(options?: CallOptions): Promise<HealthResponse>;
  auth: AuthApi;
  projects: ProjectsApi;
  sessions: SessionsApi;
}

/** The part of GET …/agui/history the client reads. */
const historyPositionSchema = z.object({ lastSeq: z.number().int().min(0) }).loose();

export function createClient(options: ClientOptions): AmbientClient {
  const transport = new Transport(options);
  const projectPath = (project: string): string => `/api/projects/${segment(project)}`;
  const sessionsPath = (project: string): string => `${projectPath(project)}/agentic-sessions`;
  const sessionPath = (project: string, name: string): string =>
    `${sessionsPath(project)}/${segment(name)}`;

  const projects: ProjectsApi = {
    ...createProjectConfigApi(transport, projectPath),
    async list(call = {}) {
      const body = await transport.request('GET', '/api/projects', {
        schema: projectListSchema,
        ...call,
      });
      return body.items;
    },
    get: (project, call = {}) =>
      transport.request('GET', projectPath(project), { schema: projectViewSchema, ...call }),
    create: (body, call = {}) =>
      transport.request('POST', '/api/projects', { body, schema: projectViewSchema, ...call }),
    events: (project, eventOptions) =>
      followProjectEvents(transport, `${projectPath(project)}/events`, eventOptions),
  };

  const sessions: SessionsApi = {
    ...createSessionToolsApi(transport, sessionPath),
    async list(project, call = {}) {
      // The server pages (100 per page by default); callers want the whole list, so follow
      // `continue` until it is gone, stopping should a server repeat a token.
      const items: AgenticSession[] = [];
      const seenTokens = new Set<string>();
      let token: string | undefined;
      do {
        const query = token ? `?continue=${encodeURIComponent(token)}` : '';
        const page = await transport.request('GET', `${sessionsPath(project)}${query}`, {
          schema: sessionListSchema,
          ...call,
        });
        items.push(...page.items);
        if (token) seenTokens.add(token);
        token = page.continue && !seenTokens.has(page.continue) ? page.continue : undefined;
      } while (token);
      return items;
    },
    create: (project, body, call = {}) =>
      transport.request('POST', sessionsPath(project), {
        body,
        schema: createSessionResponseSchema,
        ...call,
      }),
    get: (project, name, call = {}) =>
      transport.request('GET', sessionPath(project, name), {
        schema: agenticSessionSchema,
        ...call,
      }),
    async delete(project, name, call = {}) {
      await transport.request('DELETE', sessionPath(project, name), call);
    },
    stop: (project, name, call = {}) =>
      transport.request('POST', `${sessionPath(project, name)}/stop`, {
        schema: phaseRequestResponseSchema,
        ...call,
      }),
    start: (project, name, call = {}) =>
      transport.request('POST', `${sessionPath(project, name)}/start`, {
        schema: phaseRequestResponseSchema,
        ...call,
      }),
    send: (project, name, text, call = {}) =>
      transport.request('POST', `${sessionPath(project, name)}/agui/run`, {
        body: { message: text },
        schema: runResponseSchema,
        ...call,
      }),
    interrupt: (project, name, call = {}) =>
      transport.request('POST', `${sessionPath(project, name)}/agui/interrupt`, {
        schema: interruptResponseSchema,
        ...call,
      }),
    lastSeq: async (project, name, call = {}) => {
      const history = await transport.request('GET', `${sessionPath(project, name)}/agui/history`, {
        schema: historyPositionSchema,
        ...call,
      });
      return history.lastSeq;
    },
    events: (project, name, eventOptions = {}) =>
      streamSessionEvents(
        transport,
        // Finished runs arrive compacted into one MESSAGES_SNAPSHOT unless raw events are asked for.
        `${sessionPath(project, name)}/agui/events${eventOptions.compact === false ? '?compact=false' : ''}`,
        eventOptions,
      ),
  };

  return {
    baseUrl: transport.baseUrl,
    health: (call = {}) =>
      transport.request('GET', '/health', { schema: healthResponseSchema, ...call }),
    auth: createAuthApi(transport),
    projects,
    sessions,
  };
}
