/**
 * Pure helpers of the SQLite resource store: validation against the kind's zod schema, namespace
 * rules, semantic comparison and the continue token. No SQL here.
 */
import { isDeepStrictEqual } from 'node:util';
import { DNS_LABEL_PATTERN, MAX_NAME_LENGTH } from '@ambient/contracts';
import type { ResourceKind } from '@ambient/contracts';
import { ConflictError, ValidationError } from '@ambient/core';
import type { StoredObject } from '@ambient/core';

/** What Kubernetes accepts as the name of a custom resource (RFC 1123 subdomain). */
const DNS_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_SUBDOMAIN_LENGTH = 253;

/** Cluster-scoped kinds are stored under namespace '' so (kind, namespace, name) is always a key. */
export const CLUSTER_NAMESPACE = '';

export function storageNamespace(kind: ResourceKind, namespace: string | undefined): string {
  if (!kind.namespaced) return CLUSTER_NAMESPACE;
  if (!namespace)
    throw new ValidationError(`${kind.plural} are namespaced: a namespace is required`);
  return namespace;
}

export function validateNewName(kind: ResourceKind, name: unknown, namespace: string): void {
  if (
    typeof name !== 'string' ||
    name.length > MAX_SUBDOMAIN_LENGTH ||
    !DNS_SUBDOMAIN_PATTERN.test(name)
  ) {
    throw new ValidationError(
      `${kind.plural} "${name}" is invalid: metadata.name must be a lowercase RFC 1123 subdomain`,
      [{ path: ['metadata', 'name'], message: 'must be a lowercase RFC 1123 subdomain' }],
    );
  }
  if (
    namespace !== CLUSTER_NAMESPACE &&
    (namespace.length > MAX_NAME_LENGTH || !DNS_LABEL_PATTERN.test(namespace))
  ) {
    throw new ValidationError(
      `${kind.plural} "${name}" is invalid: metadata.namespace must be a lowercase RFC 1123 label`,
      [{ path: ['metadata', 'namespace'], message: 'must be a lowercase RFC 1123 label' }],
    );
  }
}

/**
 * Parses the whole object with the kind's schema and returns the parsed output, never the input:
 * zod objects strip keys the schema does not declare, so a field the schema lacks is dropped
 * rather than stored (the same pruning a structural CRD schema applies in the cluster), and
 * schema defaults are filled in. The result is JSON-normalised (no `undefined` members), so what
 * we return is exactly what a later read returns.
 */
export function validateObject(kind: ResourceKind, candidate: StoredObject): StoredObject {
  const result = kind.schema.safeParse(candidate);
  if (!result.success) {
    const issues = result.error.issues;
    const summary = issues
      .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new ValidationError(
      `${kind.kind} "${candidate.metadata.name}" is invalid: ${summary}`,
      issues,
    );
  }
  return toJsonValue(result.data) as StoredObject;
}

export function toJsonValue(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Equality of JSON values regardless of object key order (what "spec changed" means). */
export function sameJson(left: unknown, right: unknown): boolean {
  return isDeepStrictEqual(toJsonValue(left), toJsonValue(right));
}

/** The metadata fields `update` may change; everything else in metadata is owned by the store. */
export const USER_METADATA_FIELDS = [
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
] as const;

/** Optimistic concurrency: the caller's view must be of this very object, at its current version. */
export function checkPreconditions(
  kind: ResourceKind,
  current: StoredObject,
  resourceVersion: string | undefined,
  uid: string | undefined,
): void {
  const name = current.metadata.name;
  if (uid && uid !== current.metadata.uid) {
    throw new ConflictError(
      `Precondition failed on ${kind.plural} "${name}": UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`,
      { reason: 'Conflict' },
    );
  }
  // An empty resourceVersion is an unconditional write, as in Kubernetes.
  if (resourceVersion && resourceVersion !== current.metadata.resourceVersion) {
    throw new ConflictError(
      `Operation cannot be fulfilled on ${kind.plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { reason: 'Conflict', currentResourceVersion: current.metadata.resourceVersion },
    );
  }
}

export function parseResourceVersion(value: string, field = 'resourceVersion'): number {
  if (!/^\d+$/.test(value)) {
    throw new ValidationError(`${field} "${value}" is not a valid resource version`);
  }
  return Number(value);
}

interface ContinuePosition {
  namespace: string;
  name: string;
}

/** Keyset pagination: the token names the last item returned, so pages never skip or repeat. */
export function encodeContinue(position: ContinuePosition): string {
  return Buffer.from(JSON.stringify([position.namespace, position.name])).toString('base64url');
}

export function decodeContinue(token: string): ContinuePosition {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      typeof decoded[0] === 'string' &&
      typeof decoded[1] === 'string'
    ) {
      return { namespace: decoded[0], name: decoded[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('invalid continue token');
}
