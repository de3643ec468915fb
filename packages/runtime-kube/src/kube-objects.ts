/**
 * Object shaping shared by the Kubernetes adapters: validation with the kind's zod schema before a
 * write (the same rule as the SQLite store, so a field the code writes is never pruned silently by
 * the CRD's structural schema), and normalisation of what the API server returns into the shape
 * the embedded store returns (no managedFields, selfLink, … — the port's ObjectMeta only).
 */
import type { ResourceKind } from '@ambient/contracts';
import { ValidationError } from '@ambient/core';
import type { ListOptions, StoredObject } from '@ambient/core';

/** The metadata fields a caller may set; the API server owns the rest. */
export const USER_METADATA_FIELDS = [
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
] as const;

/** A Kubernetes object as JSON (client-node types custom objects as `any`; we say `unknown`). */
export interface RawObject {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

export interface RawList {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: RawObject[];
}

export function toJsonValue<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function issuesSummary(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string {
  return issues
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Parses a candidate object with the kind's schema and returns the parsed output (defaults filled
 * in, undeclared fields dropped), JSON-normalised. Throws ValidationError with the zod issues.
 */
export function validateForWrite(
  kind: ResourceKind,
  candidate: unknown,
  name: string,
): StoredObject {
  const result = kind.schema.safeParse(candidate);
  if (!result.success) {
    const issues = result.error.issues;
    throw new ValidationError(
      `${kind.kind} "${name}" is invalid: ${issuesSummary(issues)}`,
      issues,
    );
  }
  return toJsonValue(result.data) as StoredObject;
}

/** Validates a status alone (patchStatus never sends the rest of the object). */
export function validateStatus(kind: ResourceKind, status: unknown, name: string): unknown {
  if (!kind.statusSchema) {
    throw new ValidationError(`${kind.kind} "${name}" has no status that clients can write`);
  }
  const result = kind.statusSchema.safeParse(status);
  if (!result.success) {
    const issues = result.error.issues;
    throw new ValidationError(
      `${kind.kind} "${name}" is invalid: status: ${issuesSummary(issues)}`,
      issues,
    );
  }
  return toJsonValue(result.data);
}

/**
 * What the API server returned → the port's shape. The schema parse drops server-only metadata
 * (managedFields, selfLink, deletionGracePeriodSeconds, …), exactly as the embedded store never
 * has them. An object the schema rejects (written by kubectl against a looser CRD, or by an older
 * version of the platform) is still returned, with only the metadata cleaned, rather than making
 * a whole list or watch fail over one object.
 */
export function toStored<T>(kind: ResourceKind<T>, raw: RawObject): StoredObject {
  const parsed = kind.schema.safeParse(raw);
  if (parsed.success) return toJsonValue(parsed.data) as StoredObject;
  const metadata: Record<string, unknown> = { ...raw.metadata };
  for (const field of ['managedFields', 'selfLink', 'deletionGracePeriodSeconds', 'generateName']) {
    delete metadata[field];
  }
  return toJsonValue({ ...raw, metadata }) as unknown as StoredObject;
}

/** `{a: 'x', b: 'y'}` → `a=x,b=y` (equality selectors only, as the port defines). */
export function labelSelectorString(
  selector: Record<string, string> | undefined,
): string | undefined {
  const entries = Object.entries(selector ?? {});
  if (entries.length === 0) return undefined;
  return entries.map(([key, value]) => `${key}=${value}`).join(',');
}

/** The `limit` of ListOptions, checked as the SQLite store checks it (0 means no limit). */
export function pageLimit(options: ListOptions): number | undefined {
  const limit = options.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new ValidationError(`limit must be a non-negative integer, got ${limit}`);
  }
  return limit === undefined || limit === 0 ? undefined : limit;
}

/** Copies the caller-owned metadata fields that are set. */
export function userMetadata(given: Record<string, unknown>): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const field of USER_METADATA_FIELDS) {
    if (given[field] !== undefined) metadata[field] = given[field];
  }
  return metadata;
}
