/**
 * The configuration routes of one project: who has access (permissions, the caller's own role),
 * access keys, ProjectSettings and the two write-only secrets. Kept apart from client.ts so each
 * file stays small; client.ts attaches these to `projects`.
 */
import {
  permissionSchema,
  projectSecretsViewSchema,
  projectSettingsSchema,
} from '@ambient/contracts';
import type {
  AccessKeyView,
  Permission,
  ProjectSettings,
  SubjectType,
  createAccessKeyRequestSchema,
  grantPermissionRequestSchema,
  projectSettingsSpecSchema,
} from '@ambient/contracts';
import {
  accessKeyCreatedSchema,
  accessKeyListSchema,
  permissionListSchema,
  projectAccessSchema,
} from '@ambient/contracts/api-routes/schemas';
import type { z } from 'zod';
import { segment } from './transport.ts';
import type { Transport } from './transport.ts';

interface Call {
  signal?: AbortSignal;
}

export type ProjectAccess = z.infer<typeof projectAccessSchema>;
export type GrantPermissionInput = z.input<typeof grantPermissionRequestSchema>;
/** `role` has a server-side default (`edit`), so it is optional here. */
export type CreateAccessKeyInput = z.input<typeof createAccessKeyRequestSchema>;
/** The new key with its secret `key`: the only time the secret is ever returned. */
export type CreatedAccessKey = z.infer<typeof accessKeyCreatedSchema>;
/** The spec as the server accepts it: `groupAccess` has a server-side default. */
export type ProjectSettingsInput = z.input<typeof projectSettingsSpecSchema>;
export type ProjectSecretsView = z.infer<typeof projectSecretsViewSchema>;
/** Which project secret: model credentials for runners, or tokens for git and other integrations. */
export type ProjectSecretKind = 'runner' | 'integrations';

export interface PermissionsApi {
  list(project: string, options?: Call): Promise<Permission[]>;
  grant(project: string, body: GrantPermissionInput, options?: Call): Promise<Permission>;
  revoke(
    project: string,
    subjectType: SubjectType,
    subjectName: string,
    options?: Call,
  ): Promise<void>;
}

export interface AccessKeysApi {
  list(project: string, options?: Call): Promise<AccessKeyView[]>;
  create(project: string, body: CreateAccessKeyInput, options?: Call): Promise<CreatedAccessKey>;
  revoke(project: string, keyId: string, options?: Call): Promise<void>;
}

export interface SettingsApi {
  /** A ClientError 404 when the project has no settings yet. */
  get(project: string, options?: Call): Promise<ProjectSettings>;
  /** Replaces the whole spec (fields left out are cleared). */
  put(project: string, spec: ProjectSettingsInput, options?: Call): Promise<ProjectSettings>;
}

export interface SecretsApi {
  /** The keys that are set and when they changed; never their values. */
  describe(project: string, kind: ProjectSecretKind, options?: Call): Promise<ProjectSecretsView>;
  /** Sets the given keys; an empty string removes a key. Keys not named stay as they are. */
  put(
    project: string,
    kind: ProjectSecretKind,
    data: Record<string, string>,
    options?: Call,
  ): Promise<ProjectSecretsView>;
}

export interface ProjectConfigApi {
  /** The caller's own role in the project. */
  access(project: string, options?: Call): Promise<ProjectAccess>;
  permissions: PermissionsApi;
  keys: AccessKeysApi;
  settings: SettingsApi;
  secrets: SecretsApi;
}

const SECRET_PATHS: Record<ProjectSecretKind, string> = {
  runner: 'runner-secrets',
  integrations: 'integration-secrets',
};

export function createProjectConfigApi(
  transport: Transport,
  projectPath: (project: string) => string,
): ProjectConfigApi {
  const permissions: PermissionsApi = {
    async list(project, call = {}) {
      const body = await transport.request('GET', `${projectPath(project)}/permissions`, {
        schema: permissionListSchema,
        ...call,
      });
      return body.items;
    },
    grant: (project, body, call = {}) =>
      transport.request('POST', `${projectPath(project)}/permissions`, {
        body,
        schema: permissionSchema,
        ...call,
      }),
    async revoke(project, subjectType, subjectName, call = {}) {
      const path = `${projectPath(project)}/permissions/${segment(subjectType)}/${segment(subjectName)}`;
      await transport.request('DELETE', path, call);
    },
  };

  const keys: AccessKeysApi = {
    async list(project, call = {}) {
      const body = await transport.request('GET', `${projectPath(project)}/keys`, {
        schema: accessKeyListSchema,
        ...call,
      });
      return body.items;
    },
    create: (project, body, call = {}) =>
      transport.request('POST', `${projectPath(project)}/keys`, {
        body,
        schema: accessKeyCreatedSchema,
        ...call,
      }),
    async revoke(project, keyId, call = {}) {
      await transport.request('DELETE', `${projectPath(project)}/keys/${segment(keyId)}`, call);
    },
  };

  const settings: SettingsApi = {
    get: (project, call = {}) =>
      transport.request('GET', `${projectPath(project)}/settings`, {
        schema: projectSettingsSchema,
        ...call,
      }),
    put: (project, spec, call = {}) =>
      transport.request('PUT', `${projectPath(project)}/settings`, {
        body: spec,
        schema: projectSettingsSchema,
        ...call,
      }),
  };

  const secrets: SecretsApi = {
    describe: (project, kind, call = {}) =>
      transport.request('GET', `${projectPath(project)}/${SECRET_PATHS[kind]}`, {
        schema: projectSecretsViewSchema,
        ...call,
      }),
    put: (project, kind, data, call = {}) =>
      transport.request('PUT', `${projectPath(project)}/${SECRET_PATHS[kind]}`, {
        body: { data },
        schema: projectSecretsViewSchema,
        ...call,
      }),
  };

  return {
    access: (project, call = {}) =>
      transport.request('GET', `${projectPath(project)}/access`, {
        schema: projectAccessSchema,
        ...call,
      }),
    permissions,
    keys,
    settings,
    secrets,
  };
}
