/** Request and response bodies of the REST API. */
import { z } from 'zod';
import {
  agentSettingsSchema,
  agenticSessionSpecSchema,
  llmSettingsSchema,
  sessionRepoSchema,
} from './agentic-session.ts';

/** Credentials belong in project secrets, not in a URL that is stored in the session's spec. */
const repoWithoutCredentialsSchema = sessionRepoSchema.refine(
  (repo) => !/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+@/i.test(repo.url),
  {
    message: 'put git credentials in the project integration secrets (GITHUB_TOKEN, GITLAB_TOKEN, GIT_TOKEN), not in the URL',
    path: ['url'],
  },
);

/**
 * Body of POST /api/projects/:project/agentic-sessions. Compatible with the system the seed
 * describes: `prompt` is accepted as an alias of `initialPrompt`.
 */
export const createSessionRequestSchema = z
  .strictObject({
    initialPrompt: z.string().min(1).optional(),
    prompt: z.string().min(1).optional(),
    displayName: z.string().max(200).optional(),
    interactive: z.boolean().optional(),
    llmSettings: llmSettingsSchema.optional(),
    timeout: z.number().int().positive().max(7 * 24 * 3600).optional(),
    inactivityTimeout: z.number().int().positive().optional(),
    repos: z.array(repoWithoutCredentialsSchema).max(20).optional(),
    environmentVariables: z.record(z.string(), z.string()).optional(),
    parentSessionName: z.string().optional(),
    agent: z.string().optional(),
    agentSettings: agentSettingsSchema.optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .refine((body) => !(body.initialPrompt && body.prompt && body.initialPrompt !== body.prompt), {
    message: 'give either initialPrompt or prompt, not two different values',
    path: ['prompt'],
  });
export type CreateSessionRequest = z.infer<typeof createSessionRequestSchema>;

export const createSessionResponseSchema = z.object({
  name: z.string(),
  uid: z.string(),
});

/** Body of POST …/agui/run: a follow-up user message (AG-UI RunAgentInput or a plain message). */
export const runRequestSchema = z.union([
  z.object({ message: z.string().min(1) }).loose(),
  z
    .object({
      messages: z
        .array(z.object({ role: z.string(), content: z.unknown() }).loose())
        .min(1),
    })
    .loose(),
]);
export type RunRequest = z.infer<typeof runRequestSchema>;

export const runResponseSchema = z.object({
  threadId: z.string(),
  runId: z.string(),
  status: z.literal('accepted'),
});

/** Every error response has this body. */
export const errorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export { agenticSessionSpecSchema };

/** Query of GET …/agentic-sessions: pagination and search. */
export const listSessionsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  continue: z.string().max(200).optional(),
  search: z.string().max(200).optional(),
  phase: z.enum(['Pending', 'Creating', 'Running', 'Stopping', 'Stopped', 'Completed', 'Failed']).optional(),
});

/** Body of PUT …/agentic-sessions/:name: the spec fields a user may change while it is not running. */
export const updateSessionRequestSchema = z.strictObject({
  initialPrompt: z.string().min(1).optional(),
  displayName: z.string().max(200).optional(),
  interactive: z.boolean().optional(),
  llmSettings: llmSettingsSchema.optional(),
  timeout: z.number().int().positive().max(7 * 24 * 3600).optional(),
  inactivityTimeout: z.number().int().positive().optional(),
  repos: z.array(repoWithoutCredentialsSchema).max(20).optional(),
  environmentVariables: z.record(z.string(), z.string()).optional(),
  agent: z.string().optional(),
  agentSettings: agentSettingsSchema.optional(),
});

/** Body of PATCH …/agentic-sessions/:name: annotations and labels only (null removes a key). */
export const patchSessionRequestSchema = z.strictObject({
  annotations: z.record(z.string().min(1).max(253), z.string().max(4096).nullable()).optional(),
  labels: z.record(z.string().min(1).max(253), z.string().max(63).nullable()).optional(),
});

export const displayNameRequestSchema = z.strictObject({
  displayName: z.string().min(1).max(200),
});

export const cloneSessionRequestSchema = z.strictObject({
  targetProject: z.string().min(1),
  displayName: z.string().max(200).optional(),
});

export const projectSecretsRequestSchema = z.strictObject({
  /** Keys are environment variable names; an empty string removes the key. */
  data: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'keys are environment variable names').max(128), z.string().max(64 * 1024)),
});

/** A secret as the API shows it: which keys are set, never their values. */
export const projectSecretsViewSchema = z.object({
  name: z.string(),
  keys: z.array(z.object({ key: z.string(), updatedAt: z.string() })),
});

/**
 * Keys accepted in a project's runner secret: the model credentials Claude Code understands
 * (Anthropic API, Vertex AI, Bedrock). Integration secrets accept any environment variable name.
 */
export const RUNNER_SECRET_KEYS = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_USE_VERTEX',
  'CLAUDE_CODE_USE_BEDROCK',
  'ANTHROPIC_VERTEX_PROJECT_ID',
  'CLOUD_ML_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
] as const;
