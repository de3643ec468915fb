/**
 * AgenticSession: one Claude Code session. The schema is the single source of truth: the TS types,
 * API validation and the CRD's structural schema are all generated from it.
 */
import { z } from 'zod';
import { conditionSchema, GROUP_VERSION, objectMetaSchema } from './meta.ts';

export const SESSION_PHASES = [
  'Pending',
  'Creating',
  'Running',
  'Stopping',
  'Stopped',
  'Completed',
  'Failed',
] as const;
export const sessionPhaseSchema = z.enum(SESSION_PHASES);
export type SessionPhase = z.infer<typeof sessionPhaseSchema>;
export const TERMINAL_SESSION_PHASES: readonly SessionPhase[] = ['Stopped', 'Completed', 'Failed'];

export const stoppedReasonSchema = z.enum(['user', 'timeout', 'inactivity', 'error']);
export type StoppedReason = z.infer<typeof stoppedReasonSchema>;

export const sessionRepoSchema = z.object({
  url: z.string().min(1).describe('Git URL of the repository to clone into the workspace'),
  branch: z.string().optional().describe('Branch to check out; default: a new ambient/<session> branch'),
  autoPush: z.boolean().default(false).describe('Push the working branch when the session finishes'),
});
export type SessionRepo = z.infer<typeof sessionRepoSchema>;

export const llmSettingsSchema = z.object({
  model: z.string().optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
});

/**
 * How much the agent may do without asking. There is nobody to ask in a session, so tools outside
 * `allowedTools` are refused (default mode) or edits are accepted (acceptEdits, the default).
 */
export const permissionModeSchema = z.enum(['acceptEdits', 'default', 'plan', 'bypassPermissions']);

export const agentSettingsSchema = z.object({
  permissionMode: permissionModeSchema.optional().describe('Default acceptEdits'),
  allowedTools: z.array(z.string().min(1)).max(100).optional().describe('Tools that run without asking'),
  disallowedTools: z.array(z.string().min(1)).max(100).optional(),
  maxTurns: z.number().int().positive().max(10_000).optional().describe('Limit on agent turns per run'),
});
export type AgentSettings = z.infer<typeof agentSettingsSchema>;

export const userContextSchema = z.object({
  userId: z.string(),
  displayName: z.string().optional(),
  groups: z.array(z.string()).optional(),
});

export const agenticSessionSpecSchema = z.object({
  initialPrompt: z.string().optional(),
  displayName: z.string().max(200).optional(),
  interactive: z.boolean().default(true),
  repos: z.array(sessionRepoSchema).optional(),
  llmSettings: llmSettingsSchema.optional(),
  timeout: z.number().int().positive().optional().describe('Hard limit on a run, in seconds'),
  inactivityTimeout: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Stop an idle interactive session after this many seconds'),
  environmentVariables: z.record(z.string(), z.string()).optional(),
  userContext: userContextSchema.optional(),
  parentSessionName: z.string().optional().describe('Continue from this session (same project)'),
  agent: z.string().optional().describe('Agent persona to run as'),
  agentSettings: agentSettingsSchema.optional(),
});
export type AgenticSessionSpec = z.infer<typeof agenticSessionSpecSchema>;

export const sessionResultSchema = z.object({
  subtype: z.string(),
  isError: z.boolean(),
  numTurns: z.number().int().optional(),
  durationMs: z.number().int().optional(),
  totalCostUsd: z.number().optional(),
  usage: z.record(z.string(), z.unknown()).optional(),
  text: z.string().optional(),
});
export type SessionResult = z.infer<typeof sessionResultSchema>;

export const sessionRepoStatusSchema = z.object({
  name: z.string(),
  url: z.string().optional(),
  branch: z.string().optional(),
  status: z.enum(['Cloning', 'Ready', 'Failed', 'Pushed', 'NoChanges']).optional(),
  pushedAt: z.string().optional(),
  pullRequestUrl: z.string().optional(),
  added: z.number().int().optional(),
  removed: z.number().int().optional(),
});
export type SessionRepoStatus = z.infer<typeof sessionRepoStatusSchema>;

export const agenticSessionStatusSchema = z.object({
  phase: sessionPhaseSchema.default('Pending'),
  observedGeneration: z.number().int().optional(),
  startTime: z.string().optional(),
  completionTime: z.string().optional(),
  lastActivityTime: z.string().optional(),
  conditions: z.array(conditionSchema).optional(),
  sdkSessionId: z.string().optional(),
  runCount: z.number().int().optional().describe('How many times a runner was started'),
  result: sessionResultSchema.optional(),
  repos: z.array(sessionRepoStatusSchema).optional(),
  stoppedReason: stoppedReasonSchema.optional(),
  message: z.string().optional(),
});
export type AgenticSessionStatus = z.infer<typeof agenticSessionStatusSchema>;

export const agenticSessionSchema = z.object({
  apiVersion: z.literal(GROUP_VERSION),
  kind: z.literal('AgenticSession'),
  metadata: objectMetaSchema,
  spec: agenticSessionSpecSchema,
  status: agenticSessionStatusSchema.optional(),
});
export type AgenticSession = z.infer<typeof agenticSessionSchema>;

/** Annotations through which users state intent; only controllers write status. */
export const SESSION_ANNOTATIONS = {
  desiredPhase: 'ambient-code.io/desired-phase',
  startRequestedAt: 'ambient-code.io/start-requested-at',
  stopRequestedAt: 'ambient-code.io/stop-requested-at',
  createdBy: 'ambient-code.io/created-by',
} as const;
