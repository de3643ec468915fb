/** ProjectSettings: the per-project singleton (metadata.name is always "projectsettings"). */
import { z } from 'zod';
import { conditionSchema, GROUP_VERSION, objectMetaSchema } from './meta.ts';

export const PROJECT_SETTINGS_NAME = 'projectsettings';
export const projectRoleSchema = z.enum(['admin', 'edit', 'view']);
export type ProjectRole = z.infer<typeof projectRoleSchema>;

export const projectSettingsSpecSchema = z.object({
  groupAccess: z
    .array(z.object({ groupName: z.string().min(1), role: projectRoleSchema }))
    .default([]),
  defaultModel: z.string().optional(),
  defaultTimeoutSeconds: z.number().int().positive().optional(),
  defaultInactivityTimeoutSeconds: z.number().int().positive().optional(),
  modelBaseUrl: z.string().optional().describe('Anthropic-compatible endpoint for this project'),
  concurrencyLimit: z.number().int().positive().optional(),
  monthlyBudgetUsd: z.number().nonnegative().optional(),
  repositories: z
    .array(
      z.object({
        url: z.string().min(1),
        branch: z.string().optional(),
        provider: z.enum(['github', 'gitlab']).optional(),
      }),
    )
    .optional(),
  runnerSecretsName: z.string().optional().describe('Secret holding ANTHROPIC_API_KEY and similar'),
});
export type ProjectSettingsSpec = z.infer<typeof projectSettingsSpecSchema>;

export const projectSettingsStatusSchema = z.object({
  observedGeneration: z.number().int().optional(),
  groupBindingsCreated: z.number().int().min(0).optional(),
  conditions: z.array(conditionSchema).optional(),
});

export const projectSettingsSchema = z.object({
  apiVersion: z.literal(GROUP_VERSION),
  kind: z.literal('ProjectSettings'),
  metadata: objectMetaSchema,
  spec: projectSettingsSpecSchema,
  status: projectSettingsStatusSchema.optional(),
});
export type ProjectSettings = z.infer<typeof projectSettingsSchema>;
