/**
 * Whose identity a Kubernetes call carries.
 *
 * Two modes (ADR-0002):
 * - operator mode (no `credentials`): every call uses the KubeConfig's own identity (the operator's
 *   ServiceAccount);
 * - API server mode (`credentials` given): every call uses the bearer token the function returns
 *   for the current caller, and fails with UnauthorizedError when it returns nothing. There is no
 *   fallback to the KubeConfig's identity: the API server never acts with more privilege than the
 *   calling user, and Kubernetes RBAC decides.
 *
 * In API server mode a fresh KubeConfig is built per call holding the cluster (server, CA, TLS
 * settings) and ONLY the caller's token: merely adding an Authorization header to the base config
 * would not do, because a base identity made of a client certificate would still be presented on
 * the TLS connection and kube-apiserver's x509 authenticator would pick it.
 */
import { KubeConfig, Watch } from '@kubernetes/client-node';
import type { ApiConstructor, ApiType } from '@kubernetes/client-node';
import { UnauthorizedError } from '@ambient/core';

/** Returns the current caller's bearer token, or undefined when there is no authenticated caller. */
export type CredentialsProvider = () => string | undefined;

export interface KubeConnectionOptions {
  kubeConfig: KubeConfig;
  /** API server mode: the caller's token per call. Omit in the operator (KubeConfig identity). */
  credentials?: CredentialsProvider;
}

const CALLER_USER = 'ambient-caller';

/**
 * For the API server: `requestContextCredentials(currentRequestContext)` reads the bearer token the
 * caller presented from the request's AsyncLocalStorage (packages/api-server/request-context.ts).
 * Calls made outside a request (no context) fail with UnauthorizedError instead of silently using
 * the server's own identity.
 */
export function requestContextCredentials(
  currentContext: () => { bearerToken: string } | undefined,
): CredentialsProvider {
  return () => {
    const token = currentContext()?.bearerToken;
    return token ? token : undefined;
  };
}

/** A KubeConfig for the base's current cluster that authenticates with `token` and nothing else. */
export function kubeConfigWithToken(base: KubeConfig, token: string): KubeConfig {
  const cluster = base.getCurrentCluster();
  if (!cluster) throw new Error('the KubeConfig has no current cluster');
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [cluster],
    users: [{ name: CALLER_USER, token }],
    contexts: [{ name: CALLER_USER, cluster: cluster.name, user: CALLER_USER }],
    currentContext: CALLER_USER,
  });
  return config;
}

export class KubeConnection {
  readonly #base: KubeConfig;
  readonly #credentials: CredentialsProvider | undefined;
  /** Operator mode only: one client per API class, reused (its identity never changes). */
  readonly #clients = new Map<ApiConstructor<ApiType>, ApiType>();

  constructor(options: KubeConnectionOptions) {
    this.#base = options.kubeConfig;
    this.#credentials = options.credentials;
    if (!this.#base.getCurrentCluster()) throw new Error('the KubeConfig has no current cluster');
  }

  /** True in API server mode (every call on behalf of the caller's token). */
  get usesCallerCredentials(): boolean {
    return this.#credentials !== undefined;
  }

  /** The KubeConfig for one call; throws UnauthorizedError when the caller has no token. */
  config(): KubeConfig {
    if (!this.#credentials) return this.#base;
    const token = this.#credentials();
    if (!token) throw new UnauthorizedError();
    return kubeConfigWithToken(this.#base, token);
  }

  /** A typed API client for one call (cached in operator mode). */
  api<T extends ApiType>(apiClass: ApiConstructor<T>): T {
    if (this.#credentials) return this.config().makeApiClient(apiClass);
    let client = this.#clients.get(apiClass);
    if (!client) {
      client = this.#base.makeApiClient(apiClass);
      this.#clients.set(apiClass, client);
    }
    return client as T;
  }

  /**
   * A connection fixed to the current caller's identity, for work that outlives the call that
   * started it (a watch reconnects later, maybe outside the request's async context).
   */
  pinned(): KubeConnection {
    if (!this.#credentials) return this;
    const token = this.#credentials();
    if (!token) throw new UnauthorizedError();
    return new KubeConnection({ kubeConfig: this.#base, credentials: () => token });
  }

  /** A Watch with this connection's identity (pin the connection first for a long-lived watch). */
  watcher(): Watch {
    return new Watch(this.config());
  }
}
