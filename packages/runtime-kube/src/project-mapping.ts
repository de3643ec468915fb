/** The pure part of Project ↔ Namespace (see project-namespaces.ts for the rules). */
import type { V1Namespace } from '@kubernetes/client-node';
import { ProjectKind } from '@ambient/contracts';
import type { StoredObject } from '@ambient/core';
import { toJsonValue, toStored } from './kube-objects.ts';
import type { RawObject } from './kube-objects.ts';

export const MANAGED_LABEL = 'ambient-code.io/managed';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'ambient-code';
export const DISPLAY_NAME_ANNOTATION = 'openshift.io/display-name';
export const DESCRIPTION_ANNOTATION = 'openshift.io/description';
export const GENERATION_ANNOTATION = 'ambient-code.io/generation';

/** The label selector of every managed namespace. */
export const PROJECT_SELECTOR = `${MANAGED_LABEL}=true`;

/** A Namespace from the typed client (Date timestamps) or from a watch (RFC 3339 strings). */
export interface NamespaceShape {
  metadata?: {
    name?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: Date | string;
    deletionTimestamp?: Date | string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: unknown[];
    finalizers?: string[];
  };
  status?: { phase?: string };
}

export interface ProjectView {
  project: StoredObject;
  /** Terminating without metadata finalizers: deleted as far as the port is concerned. */
  hidden: boolean;
}

/** metav1.Time is second-precision RFC 3339, which is what the API server sends in JSON. */
function apiTime(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function without(
  record: Record<string, string> | undefined,
  keys: readonly string[],
): Record<string, string> | undefined {
  const rest = Object.fromEntries(
    Object.entries(record ?? {}).filter(([key]) => !keys.includes(key)),
  );
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function parseGeneration(value: string | undefined): number {
  const generation = Number(value);
  return Number.isInteger(generation) && generation >= 1 ? generation : 1;
}

/** A managed Namespace as a Project; undefined for a namespace the platform does not manage. */
export function namespaceToProject(namespace: NamespaceShape): ProjectView | undefined {
  const metadata = namespace.metadata;
  if (!metadata?.name || metadata.labels?.[MANAGED_LABEL] !== 'true') return undefined;
  const annotations = metadata.annotations ?? {};
  const finalizers = metadata.finalizers ?? [];
  const deletionTimestamp = apiTime(metadata.deletionTimestamp);
  const spec: Record<string, string> = {};
  const displayName = annotations[DISPLAY_NAME_ANNOTATION];
  const description = annotations[DESCRIPTION_ANNOTATION];
  if (displayName !== undefined) spec['displayName'] = displayName;
  if (description !== undefined) spec['description'] = description;
  const phase = namespace.status?.phase;
  const project: RawObject = {
    apiVersion: ProjectKind.apiVersion,
    kind: ProjectKind.kind,
    metadata: toJsonValue({
      name: metadata.name,
      uid: metadata.uid,
      resourceVersion: metadata.resourceVersion,
      generation: parseGeneration(annotations[GENERATION_ANNOTATION]),
      creationTimestamp: apiTime(metadata.creationTimestamp),
      deletionTimestamp,
      labels: without(metadata.labels, [MANAGED_LABEL, MANAGED_BY_LABEL]),
      annotations: without(annotations, [
        DISPLAY_NAME_ANNOTATION,
        DESCRIPTION_ANNOTATION,
        GENERATION_ANNOTATION,
      ]),
      ownerReferences: metadata.ownerReferences,
      finalizers: finalizers.length > 0 ? finalizers : undefined,
    }),
    spec,
    ...(phase === 'Active' || phase === 'Terminating' ? { status: { phase } } : {}),
  };
  return {
    project: toStored(ProjectKind, project),
    hidden: deletionTimestamp !== undefined && finalizers.length === 0,
  };
}

/** The Namespace body for a (validated) Project at `generation`. */
export function projectToNamespace(project: StoredObject, generation: number): V1Namespace {
  const spec = (project.spec ?? {}) as { displayName?: string; description?: string };
  const annotations: Record<string, string> = {
    ...without(project.metadata.annotations, [DISPLAY_NAME_ANNOTATION, DESCRIPTION_ANNOTATION]),
    [GENERATION_ANNOTATION]: String(generation),
  };
  if (spec.displayName !== undefined) annotations[DISPLAY_NAME_ANNOTATION] = spec.displayName;
  if (spec.description !== undefined) annotations[DESCRIPTION_ANNOTATION] = spec.description;
  const metadata: NonNullable<V1Namespace['metadata']> = {
    name: project.metadata.name,
    labels: {
      ...project.metadata.labels,
      [MANAGED_LABEL]: 'true',
      [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    },
    annotations,
  };
  if (project.metadata.ownerReferences) metadata.ownerReferences = project.metadata.ownerReferences;
  if (project.metadata.finalizers) metadata.finalizers = project.metadata.finalizers;
  return { apiVersion: 'v1', kind: 'Namespace', metadata };
}
