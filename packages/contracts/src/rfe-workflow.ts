/** RFEWorkflow: a Request For Enhancement taken through the agent council (design §6). */
import { z } from 'zod';
import { conditionSchema, GROUP_VERSION, objectMetaSchema } from './meta.ts';

export const repoRefSchema = z.object({
  url: z.string().min(1),
  branch: z.string().default('main'),
});

export const rfeStepSpecSchema = z.object({
  name: z.string().min(1),
  agent: z.string().min(1),
  instructions: z.string().optional(),
});

export const rfeWorkflowSpecSchema = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  umbrellaRepo: repoRefSchema,
  supportingRepos: z.array(repoRefSchema).optional(),
  branchName: z.string().optional(),
  steps: z.array(rfeStepSpecSchema).optional().describe('Defaults to the 7-step agent council'),
  requireApproval: z.boolean().default(false),
});
export type RfeWorkflowSpec = z.infer<typeof rfeWorkflowSpecSchema>;

export const rfePhaseSchema = z.enum([
  'Pending',
  'Running',
  'AwaitingApproval',
  'Completed',
  'Rejected',
  'Failed',
]);

export const rfeWorkflowStatusSchema = z.object({
  phase: rfePhaseSchema.default('Pending'),
  observedGeneration: z.number().int().optional(),
  currentStep: z.number().int().min(0).optional(),
  steps: z
    .array(
      z.object({
        name: z.string(),
        agent: z.string(),
        sessionName: z.string().optional(),
        phase: z.string().optional(),
        artifact: z.string().optional(),
        decision: z.enum(['accepted', 'rejected']).optional(),
      }),
    )
    .optional(),
  conditions: z.array(conditionSchema).optional(),
  message: z.string().optional(),
});

export const rfeWorkflowSchema = z.object({
  apiVersion: z.literal(GROUP_VERSION),
  kind: z.literal('RFEWorkflow'),
  metadata: objectMetaSchema,
  spec: rfeWorkflowSpecSchema,
  status: rfeWorkflowStatusSchema.optional(),
});
export type RfeWorkflow = z.infer<typeof rfeWorkflowSchema>;
