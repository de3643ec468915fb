export { createClient } from './client.ts';
export type {
  AmbientClient,
  CallOptions,
  ClientOptions,
  CreateSessionInput,
  CreateSessionResponse,
  ProjectsApi,
  RunResponse,
  SessionsApi,
} from './client.ts';
export type { AuthApi, CurrentIdentity, LoginResponse } from './auth-api.ts';
export type {
  AccessKeysApi,
  CreateAccessKeyInput,
  CreatedAccessKey,
  GrantPermissionInput,
  PermissionsApi,
  ProjectAccess,
  ProjectConfigApi,
  ProjectSecretKind,
  ProjectSecretsView,
  ProjectSettingsInput,
  SecretsApi,
  SettingsApi,
} from './project-config-api.ts';
export type {
  CloneSessionInput,
  CloneSessionResponse,
  SessionExport,
  SessionExportFormat,
  SessionToolsApi,
  WorkspaceApi,
  WorkspaceEntry,
  WorkspaceListing,
  WorkspaceReadResult,
} from './session-tools-api.ts';
export { ClientError, ConnectionError, InvalidResponseError } from './errors.ts';
export type { SessionEventsOptions, ReconnectInfo } from './event-stream.ts';
export type {
  ProjectEvent,
  ProjectEventFrame,
  ProjectEventsOptions,
  ProjectReconnectInfo,
  SessionListEntry,
} from './project-events.ts';
export type { HealthResponse, InterruptResponse, PhaseRequestResponse } from './responses.ts';
export type { FetchFunction } from './transport.ts';
export { backoffDelayMs } from './backoff.ts';
export type { BackoffOptions } from './backoff.ts';
