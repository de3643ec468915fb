/**
 * Embedded authentication and authorisation over the IdentityStore and PermissionStore ports:
 * the bootstrap admin token, user tokens, project access keys, and roles from direct and group
 * grants. Cluster mode replaces both with the caller's Kubernetes token and SubjectAccessReviews.
 */
import type { ProjectRole } from '@ambient/contracts';
import { strongestRole } from '@ambient/core';
import type { Identity, IdentityStore, PermissionStore } from '@ambient/core';
import type { Authenticator, Authorizer } from './middleware.ts';
import { tokensEqual } from './middleware.ts';

export const ADMIN_USER = 'admin';

export function createEmbeddedAuthenticator(options: {
  adminToken: string;
  identities: IdentityStore;
}): Authenticator {
  return {
    async authenticate(token) {
      if (tokensEqual(token, options.adminToken)) {
        return { userId: ADMIN_USER, displayName: 'Administrator', groups: [], isAdmin: true };
      }
      const record = await options.identities.resolveToken(token);
      if (!record) return undefined;
      if (record.subject.kind === 'access_key') {
        return {
          userId: `accesskey:${record.subject.project}:${record.name}`,
          displayName: `access key ${record.name}`,
          groups: [],
          isAdmin: false,
          accessKey: { id: record.id, project: record.subject.project, role: record.subject.role },
        };
      }
      const user = await options.identities.getUser(record.subject.userName);
      if (!user) return undefined;
      return { userId: user.name, displayName: user.displayName, groups: user.groups, isAdmin: user.isAdmin };
    },
  };
}

export function createEmbeddedAuthorizer(permissions: PermissionStore): Authorizer {
  return {
    async roleIn(identity: Identity, project: string): Promise<ProjectRole | undefined> {
      if (identity.accessKey) return identity.accessKey.project === project ? identity.accessKey.role : undefined;
      if (identity.isAdmin) return 'admin';
      const grants = await permissions.list(project);
      const groups = new Set(identity.groups);
      return strongestRole(
        grants
          .filter((grant) =>
            grant.subjectType === 'user' ? grant.subjectName === identity.userId : groups.has(grant.subjectName),
          )
          .map((grant) => grant.role),
      );
    },
    async canCreateProjects(identity: Identity): Promise<boolean> {
      // Access keys belong to one project; people may create projects and become their admins.
      return identity.accessKey === undefined;
    },
  };
}
