/**
 * The caller of the current request, available to adapters below the routes without threading it
 * through every call. Cluster mode needs this: every Kubernetes call is made with the caller's own
 * token (no service-account fallback), so the Kubernetes resource store asks for the current
 * caller's credentials here and refuses to act when there is none.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Identity } from '@ambient/core';

export interface RequestContext {
  identity: Identity;
  /** The bearer token the caller presented (cluster mode forwards it to the Kubernetes API). */
  bearerToken: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
