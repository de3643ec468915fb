/** Routes of agentic sessions: CRUD, lifecycle intents, follow-up messages, rename and clone. */
import { agenticSessionSchema } from '../agentic-session.ts';
import {
  cloneSessionRequestSchema,
  createSessionRequestSchema,
  createSessionResponseSchema,
  displayNameRequestSchema,
  listSessionsQuerySchema,
  patchSessionRequestSchema,
  runRequestSchema,
  runResponseSchema,
  updateSessionRequestSchema,
} from '../api.ts';
import {
  agenticSessionListSchema,
  cloneSessionResponseSchema,
  interruptResponseSchema,
  phaseRequestResponseSchema,
  projectPathSchema,
  sessionPathSchema,
} from './schemas.ts';
import { defineRoute } from './types.ts';
import type { ApiRoute, RouteDeclaration } from './types.ts';

export const SESSIONS = '/api/projects/{project}/agentic-sessions';
export const SESSION = `${SESSIONS}/{session}`;

/** Every route on one session: tagged, authenticated and addressed the same way. */
function sessionRoute(declaration: Omit<RouteDeclaration, 'tags' | 'auth' | 'params'>): ApiRoute {
  return defineRoute({ tags: ['sessions'], auth: 'bearer', params: sessionPathSchema, ...declaration });
}

export const sessionRoutes: readonly ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: SESSIONS,
    operationId: 'listSessions',
    summary: 'List sessions, newest first',
    description: 'Paginated: pass the response’s `continue` as ?continue= for the next page. Filter with ?phase= and ?search= (name or display name).',
    tags: ['sessions'],
    auth: 'bearer',
    minimumRole: 'view',
    params: projectPathSchema,
    query: listSessionsQuerySchema,
    responses: { 200: { description: 'One page of sessions', schema: agenticSessionListSchema } },
  }),
  defineRoute({
    method: 'post',
    path: SESSIONS,
    operationId: 'createSession',
    summary: 'Create a session',
    description: '`prompt` is accepted as an alias of `initialPrompt`; a non-interactive session needs one. The controller starts a runner.',
    tags: ['sessions'],
    auth: 'bearer',
    minimumRole: 'edit',
    params: projectPathSchema,
    body: { schema: createSessionRequestSchema },
    responses: { 201: { description: 'The new session’s name and uid', schema: createSessionResponseSchema } },
  }),
  sessionRoute({
    method: 'get',
    path: SESSION,
    operationId: 'getSession',
    summary: 'Get a session',
    minimumRole: 'view',
    responses: { 200: { description: 'The AgenticSession resource', schema: agenticSessionSchema } },
  }),
  sessionRoute({
    method: 'put',
    path: SESSION,
    operationId: 'updateSession',
    summary: 'Change a session’s spec while it is not running',
    minimumRole: 'edit',
    body: { schema: updateSessionRequestSchema },
    responses: { 200: { description: 'The updated session', schema: agenticSessionSchema } },
    errors: { 409: 'The session is Creating, Running or Stopping: stop it first.' },
  }),
  sessionRoute({
    method: 'patch',
    path: SESSION,
    operationId: 'patchSession',
    summary: 'Set or remove labels and annotations',
    description: 'A null value removes the key.',
    minimumRole: 'edit',
    body: { schema: patchSessionRequestSchema },
    responses: { 200: { description: 'The updated session', schema: agenticSessionSchema } },
  }),
  sessionRoute({
    method: 'delete',
    path: SESSION,
    operationId: 'deleteSession',
    summary: 'Delete a session with its runner, workspace and history',
    minimumRole: 'edit',
    responses: { 204: { description: 'Deleted' } },
  }),
  sessionRoute({
    method: 'post',
    path: `${SESSION}/stop`,
    operationId: 'stopSession',
    summary: 'Ask for the session to stop',
    description: 'Records the intent (an annotation); the controller stops the runner and sets the phase.',
    minimumRole: 'edit',
    responses: { 202: { description: 'Stop requested', schema: phaseRequestResponseSchema } },
  }),
  sessionRoute({
    method: 'post',
    path: `${SESSION}/start`,
    operationId: 'startSession',
    summary: 'Ask for the session to (re)start',
    description: 'Records the intent; the controller starts a runner that resumes the conversation.',
    minimumRole: 'edit',
    responses: { 202: { description: 'Start requested', schema: phaseRequestResponseSchema } },
  }),
  sessionRoute({
    method: 'post',
    path: `${SESSION}/agui/run`,
    operationId: 'sendMessage',
    summary: 'Send a follow-up user message',
    description: 'Either `{message}` or an AG-UI RunAgentInput (the last user message is sent). Queued for the runner.',
    minimumRole: 'edit',
    body: { schema: runRequestSchema },
    responses: { 202: { description: 'Accepted', schema: runResponseSchema } },
    errors: { 409: 'The session is not interactive, or is stopping or finished: start it again first.' },
  }),
  sessionRoute({
    method: 'post',
    path: `${SESSION}/agui/interrupt`,
    operationId: 'interruptSession',
    summary: 'End the current turn; the session stays usable',
    minimumRole: 'edit',
    responses: { 202: { description: 'Interrupt requested', schema: interruptResponseSchema } },
  }),
  sessionRoute({
    method: 'put',
    path: `${SESSION}/displayname`,
    operationId: 'renameSession',
    summary: 'Change a session’s display name (allowed while running)',
    minimumRole: 'edit',
    body: { schema: displayNameRequestSchema },
    responses: { 200: { description: 'The updated session', schema: agenticSessionSchema } },
  }),
  sessionRoute({
    method: 'post',
    path: `${SESSION}/clone`,
    operationId: 'cloneSession',
    summary: 'Copy a session’s spec into a new session',
    description: 'Needs view on this project and edit on the target project; the copy belongs to the caller.',
    minimumRole: 'view',
    body: { schema: cloneSessionRequestSchema },
    responses: { 201: { description: 'The copy', schema: cloneSessionResponseSchema } },
    errors: { 403: 'The caller may not create sessions in the target project.' },
  }),
];
