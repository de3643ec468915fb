/**
 * Cluster-mode authentication and authorisation (ADR-0002): who a caller is comes from the
 * Kubernetes API server itself (a TokenReview of the bearer token, made with the API server's own
 * identity — one of the few uses ADR-0002 allows), and what they may do in a project comes from
 * SelfSubjectAccessReviews made WITH THE CALLER'S TOKEN, so Kubernetes RBAC decides and the
 * platform never keeps a second permission model.
 *
 * The returned objects have the shape of the api-server's Authenticator and Authorizer ports.
 */
import { createHash } from 'node:crypto';
import { AuthenticationV1Api, AuthorizationV1Api } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { API_GROUP } from '@ambient/contracts';
import type { ProjectRole } from '@ambient/contracts';
import type { Identity } from '@ambient/core';
import { kubeConfigWithToken } from './kube-connection.ts';

/** A token's review is reused this long: one TokenReview per request would double every call. */
export const TOKEN_REVIEW_CACHE_MS = 30_000;
const MAX_CACHED_REVIEWS = 5_000;
/** Members of these groups administer the whole platform. */
export const PLATFORM_ADMIN_GROUPS = ['system:masters', 'ambient-admins'];

export interface KubeAuthenticatorOptions {
  /** The API server's own identity (allowed to create TokenReviews). */
  kubeConfig: KubeConfig;
  now?: () => number;
}

export function createKubeAuthenticator(options: KubeAuthenticatorOptions) {
  const api = options.kubeConfig.makeApiClient(AuthenticationV1Api);
  const now = options.now ?? Date.now;
  const cache = new Map<string, { identity: Identity | undefined; expiresAt: number }>();
  return {
    async authenticate(token: string): Promise<Identity | undefined> {
      const key = createHash('sha256').update(token).digest('hex');
      const cached = cache.get(key);
      if (cached && cached.expiresAt > now()) return cached.identity;
      const review = await api.createTokenReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } } });
      const user = review.status?.authenticated ? review.status.user : undefined;
      const identity: Identity | undefined = user?.username
        ? {
            userId: user.username,
            groups: user.groups ?? [],
            isAdmin: (user.groups ?? []).some((group) => PLATFORM_ADMIN_GROUPS.includes(group)),
          }
        : undefined;
      if (cache.size >= MAX_CACHED_REVIEWS) cache.delete(cache.keys().next().value as string);
      cache.set(key, { identity, expiresAt: now() + TOKEN_REVIEW_CACHE_MS });
      return identity;
    },
  };
}

export interface KubeAuthorizerOptions {
  kubeConfig: KubeConfig;
  /** The caller's own token (the API server reads it from the request context). */
  callerToken: (identity: Identity) => string | undefined;
  /** Whether any authenticated user may create projects (the API server then creates the namespace). */
  anyoneCreatesProjects?: boolean;
}

/** The strongest role first: the first review that passes names the caller's role. */
const ROLE_PROBES: { role: ProjectRole; group: string; resource: string; verb: string }[] = [
  { role: 'admin', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', verb: 'create' },
  { role: 'edit', group: API_GROUP, resource: 'agenticsessions', verb: 'create' },
  { role: 'view', group: API_GROUP, resource: 'agenticsessions', verb: 'list' },
];

export function createKubeAuthorizer(options: KubeAuthorizerOptions) {
  return {
    async roleIn(identity: Identity, project: string): Promise<ProjectRole | undefined> {
      const token = options.callerToken(identity);
      if (!token) return undefined;
      const api = kubeConfigWithToken(options.kubeConfig, token).makeApiClient(AuthorizationV1Api);
      for (const probe of ROLE_PROBES) {
        const review = await api.createSelfSubjectAccessReview({
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: { namespace: project, group: probe.group, resource: probe.resource, verb: probe.verb } },
          },
        });
        if (review.status?.allowed) return probe.role;
      }
      return undefined;
    },
    async canCreateProjects(identity: Identity): Promise<boolean> {
      return identity.isAdmin || (options.anyoneCreatesProjects ?? true);
    },
  };
}
