/**
 * Project: a tenant. In cluster mode a project is a Namespace labelled as managed by the platform;
 * in embedded mode it is a cluster-scoped object in the local store. The API shows the same shape.
 */
import { z } from 'zod';
import { objectMetaSchema, resourceNameSchema } from './meta.ts';

export const projectSpecSchema = z.object({
  displayName: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
});

export const projectSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Project'),
  metadata: objectMetaSchema,
  spec: projectSpecSchema,
  status: z.object({ phase: z.enum(['Active', 'Terminating']).optional() }).optional(),
});
export type Project = z.infer<typeof projectSchema>;

export const createProjectRequestSchema = z.strictObject({
  name: resourceNameSchema,
  displayName: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
});
export type CreateProjectRequest = z.infer<typeof createProjectRequestSchema>;

/** What the API returns for a project (list items and GET). */
export const projectViewSchema = z.object({
  name: z.string(),
  displayName: z.string().optional(),
  description: z.string().optional(),
  creationTimestamp: z.string().optional(),
  uid: z.string().optional(),
});
export type ProjectView = z.infer<typeof projectViewSchema>;
