/**
 * The registry of every HTTP route the API serves, as data over the zod contracts. The OpenAPI
 * document and the HTML reference (api-server/src/openapi) are generated from it, and a test checks
 * it against the routes the server really registers, so a route cannot be added undocumented.
 *
 * Conventions: paths are OpenAPI style (`{project}`) with the Hono parameter names; a trailing Hono
 * wildcard is the parameter WILDCARD_PATH_PARAMETER; error responses are completed by defineRoute
 * from what a route validates and who may call it (api-routes/types.ts).
 */
import type { z } from 'zod';
import {
  accessKeyViewSchema,
  createAccessKeyRequestSchema,
  createTokenRequestSchema,
  createUserRequestSchema,
  grantPermissionRequestSchema,
  loginRequestSchema,
  permissionSchema,
  updateProjectRequestSchema,
  userViewSchema,
} from './access.ts';
import { agenticSessionSchema, agenticSessionSpecSchema, agenticSessionStatusSchema, sessionPhaseSchema, sessionRepoSchema, sessionResultSchema } from './agentic-session.ts';
import {
  cloneSessionRequestSchema,
  createSessionRequestSchema,
  createSessionResponseSchema,
  displayNameRequestSchema,
  errorBodySchema,
  patchSessionRequestSchema,
  projectSecretsRequestSchema,
  projectSecretsViewSchema,
  runRequestSchema,
  runResponseSchema,
  updateSessionRequestSchema,
} from './api.ts';
import { agUiEventSchema } from './events.ts';
import { conditionSchema, objectMetaSchema } from './meta.ts';
import { projectRoleSchema, projectSettingsSchema, projectSettingsSpecSchema } from './project-settings.ts';
import { createProjectRequestSchema, projectViewSchema } from './project.ts';
import { runnerToServerSchema, serverToRunnerSchema } from './runner-protocol.ts';
import { platformRoutes } from './api-routes/platform.ts';
import { projectRoutes } from './api-routes/projects.ts';
import * as responses from './api-routes/schemas.ts';
import { sessionRoutes } from './api-routes/sessions.ts';
import * as streams from './api-routes/stream-schemas.ts';
import { streamRoutes } from './api-routes/streams.ts';
import type { ApiRoute } from './api-routes/types.ts';
import { workspaceRoutes } from './api-routes/workspace.ts';

export * from './api-routes/types.ts';
export * from './api-routes/schemas.ts';
export * from './api-routes/stream-schemas.ts';
export { WILDCARD_PATH_PARAMETER } from './api-routes/workspace.ts';

export const API_ROUTES: readonly ApiRoute[] = [
  ...platformRoutes,
  ...projectRoutes,
  ...sessionRoutes,
  ...streamRoutes,
  ...workspaceRoutes,
];

/** Tags in reading order, with what each groups. */
export const API_TAGS: readonly { name: string; description: string }[] = [
  { name: 'platform', description: 'Health, deployment information and these API documents.' },
  { name: 'auth', description: 'Password login for the web UI and who a token belongs to.' },
  { name: 'users', description: 'Users and their bearer tokens (platform administrators).' },
  { name: 'projects', description: 'Projects: the tenants. Everything else lives in one.' },
  { name: 'permissions', description: 'Who has which role (view, edit, admin) in a project.' },
  { name: 'project-settings', description: 'Project defaults and write-only secrets.' },
  { name: 'access-keys', description: 'Project-scoped bearer tokens for automation.' },
  { name: 'sessions', description: 'Agentic sessions: create, inspect, steer, stop, resume.' },
  { name: 'session-events', description: 'Live and recorded AG-UI events, resumable by seq.' },
  { name: 'workspace', description: 'A session’s workspace files.' },
  { name: 'runner', description: 'Internal: the channel between session runners and the server.' },
];

/**
 * Schemas that become named components (`#/components/schemas/<name>`): every request and response
 * body, and the building blocks several of them share, so each is written out once in the document.
 * Anything not named here is inlined where it is used.
 */
export const API_COMPONENT_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  ErrorBody: errorBodySchema,
  ValidationErrorBody: responses.validationErrorBodySchema,
  ValidationIssue: responses.validationIssueSchema,
  ObjectMeta: objectMetaSchema,
  Condition: conditionSchema,
  ProjectRole: projectRoleSchema,
  SessionPhase: sessionPhaseSchema,
  SessionRepo: sessionRepoSchema,
  SessionResult: sessionResultSchema,
  AgenticSession: agenticSessionSchema,
  AgenticSessionSpec: agenticSessionSpecSchema,
  AgenticSessionStatus: agenticSessionStatusSchema,
  AgenticSessionList: responses.agenticSessionListSchema,
  CreateSessionRequest: createSessionRequestSchema,
  CreateSessionResponse: createSessionResponseSchema,
  UpdateSessionRequest: updateSessionRequestSchema,
  PatchSessionRequest: patchSessionRequestSchema,
  CloneSessionRequest: cloneSessionRequestSchema,
  CloneSessionResponse: responses.cloneSessionResponseSchema,
  RunRequest: runRequestSchema,
  RunResponse: runResponseSchema,
  DisplayNameRequest: displayNameRequestSchema,
  InterruptResponse: responses.interruptResponseSchema,
  PhaseRequestResponse: responses.phaseRequestResponseSchema,
  AgUiEvent: agUiEventSchema,
  AgUiMessage: streams.agUiMessageSchema,
  SessionEventFrame: responses.sessionEventFrameSchema,
  SessionHistory: streams.sessionHistorySchema,
  SessionExport: streams.sessionExportSchema,
  SessionListEntry: streams.sessionListEntrySchema,
  ProjectEventFrame: streams.projectEventFrameSchema,
  ProjectView: projectViewSchema,
  ProjectList: responses.projectListSchema,
  CreateProjectRequest: createProjectRequestSchema,
  UpdateProjectRequest: updateProjectRequestSchema,
  ProjectAccess: responses.projectAccessSchema,
  ProjectSettings: projectSettingsSchema,
  ProjectSettingsSpec: projectSettingsSpecSchema,
  UpdateProjectSettingsRequest: responses.updateProjectSettingsRequestSchema,
  ProjectSecretsRequest: projectSecretsRequestSchema,
  ProjectSecretsView: projectSecretsViewSchema,
  Permission: permissionSchema,
  PermissionList: responses.permissionListSchema,
  GrantPermissionRequest: grantPermissionRequestSchema,
  AccessKeyView: accessKeyViewSchema,
  AccessKeyList: responses.accessKeyListSchema,
  AccessKeyCreated: responses.accessKeyCreatedSchema,
  CreateAccessKeyRequest: createAccessKeyRequestSchema,
  UserView: userViewSchema,
  UserList: responses.userListSchema,
  CreateUserRequest: createUserRequestSchema,
  CreateTokenRequest: createTokenRequestSchema,
  CreatedToken: responses.createdTokenSchema,
  LoginRequest: loginRequestSchema,
  LoginResponse: responses.loginResponseSchema,
  CurrentIdentity: responses.currentIdentitySchema,
  WorkspaceListing: responses.workspaceListingSchema,
  WorkspaceEntry: responses.workspaceEntrySchema,
  WorkspaceWriteResult: responses.workspaceWriteResultSchema,
  Health: responses.healthResponseSchema,
  ClusterInfo: responses.clusterInfoSchema,
  OpenApiDocument: responses.openApiDocumentSchema,
  RunnerToServer: runnerToServerSchema,
  ServerToRunner: serverToRunnerSchema,
};
