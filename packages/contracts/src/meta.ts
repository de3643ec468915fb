/**
 * Kubernetes-style object metadata shared by every resource kind.
 *
 * The same shape is used by the embedded SQLite store and by the Kubernetes API, so code above the
 * store never needs to know which one it talks to.
 */
import { z } from 'zod';

/** A DNS-1123 label: what Kubernetes accepts as a namespace or resource name segment. */
export const DNS_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const MAX_NAME_LENGTH = 63;

export const resourceNameSchema = z
  .string()
  .min(1, 'name must not be empty')
  .max(MAX_NAME_LENGTH, `name must be at most ${MAX_NAME_LENGTH} characters`)
  .regex(DNS_LABEL_PATTERN, 'name must be lowercase letters, digits and "-", starting and ending with a letter or digit');

export const ownerReferenceSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.infer<typeof ownerReferenceSchema>;

export const objectMetaSchema = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  ownerReferences: z.array(ownerReferenceSchema).optional(),
  finalizers: z.array(z.string()).optional(),
});
export type ObjectMeta = z.infer<typeof objectMetaSchema>;

export const conditionStatusSchema = z.enum(['True', 'False', 'Unknown']);

/** A status condition with apimachinery semantics (see core/conditions.ts for the update rule). */
export const conditionSchema = z.object({
  type: z.string(),
  status: conditionStatusSchema,
  reason: z.string().optional(),
  message: z.string().optional(),
  observedGeneration: z.number().int().optional(),
  lastTransitionTime: z.string().optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

export const API_GROUP = 'vteam.ambient-code';
export const API_VERSION = 'v1alpha1';
export const GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;
