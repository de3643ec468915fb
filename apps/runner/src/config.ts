/**
 * The runner's configuration, read once from the environment (names: RUNNER_ENV in contracts).
 * The model credentials are kept separate: a missing API key is a prerequisite failure the runner
 * still reports over the channel, while a missing server URL leaves it nobody to report to.
 */
import { resolve } from 'node:path';
import { agenticSessionSpecSchema, RUNNER_ENV } from '@ambient/contracts';
import type { AgenticSessionSpec } from '@ambient/contracts';
import { loadGitAccess } from './git-credentials.ts';
import type { GitAccess } from './git-credentials.ts';

export interface RunnerConfig {
  serverUrl: string;
  token: string;
  project: string;
  sessionName: string;
  /** Absolute path. */
  workspaceDir: string;
  spec: AgenticSessionSpec;
  resumeSdkSessionId?: string;
  /** Continuation: the parent session's conversation, forked into a new one on the first query. */
  forkFromSdkSessionId?: string;
  model: ModelAccess;
  /** Git tokens and commit identity (GITHUB_TOKEN, GITLAB_TOKEN, GIT_TOKEN, GIT_USER_*); never logged. */
  git: GitAccess;
}

/** Passed through to Claude Code; never logged. */
export interface ModelAccess {
  apiKey?: string;
  baseUrl?: string;
  /** CLAUDE_CODE_MAX_RETRIES, when the platform wants fewer API retries (e.g. in tests). */
  maxRetries?: string;
  /** Vertex AI / Bedrock / auth-token settings passed to Claude Code as they are. */
  passThrough: Record<string, string>;
}

/**
 * Model-provider variables Claude Code understands; project runner secrets may set them. With
 * Vertex AI or Bedrock enabled, no ANTHROPIC_API_KEY is needed.
 */
export const MODEL_PASS_THROUGH_VARIABLES = [
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_USE_VERTEX',
  'CLOUD_ML_REGION',
  'ANTHROPIC_VERTEX_PROJECT_ID',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'CLAUDE_CODE_USE_BEDROCK',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
] as const;

/** True when Claude Code can reach a model without ANTHROPIC_API_KEY. */
export function hasAlternativeModelAccess(model: ModelAccess): boolean {
  return Boolean(model.passThrough['CLAUDE_CODE_USE_VERTEX'] || model.passThrough['CLAUDE_CODE_USE_BEDROCK'] || model.passThrough['ANTHROPIC_AUTH_TOKEN']);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Environment = Record<string, string | undefined>;

function required(env: Environment, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is not set`);
  return value;
}

function optional(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function parseSessionSpec(json: string): AgenticSessionSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigError(
      `${RUNNER_ENV.sessionSpec} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const parsed = agenticSessionSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigError(
      `${RUNNER_ENV.sessionSpec} is not a valid session spec: ${issues.join('; ')}`,
    );
  }
  return parsed.data;
}

export function loadConfig(env: Environment, cwd: string = process.cwd()): RunnerConfig {
  const serverUrl = required(env, RUNNER_ENV.serverUrl);
  if (!/^(https?|wss?):\/\//.test(serverUrl)) {
    throw new ConfigError(`${RUNNER_ENV.serverUrl} must be an http(s):// or ws(s):// URL`);
  }
  return {
    serverUrl,
    token: required(env, RUNNER_ENV.token),
    project: required(env, RUNNER_ENV.project),
    sessionName: required(env, RUNNER_ENV.sessionName),
    // The runtime also starts us with cwd = workspace, so that is a safe default.
    workspaceDir: resolve(cwd, optional(env, RUNNER_ENV.workspaceDir) ?? '.'),
    spec: parseSessionSpec(required(env, RUNNER_ENV.sessionSpec)),
    resumeSdkSessionId: optional(env, RUNNER_ENV.resumeSdkSessionId),
    forkFromSdkSessionId: optional(env, RUNNER_ENV.forkFromSdkSessionId),
    model: {
      apiKey: optional(env, 'ANTHROPIC_API_KEY'),
      baseUrl: optional(env, 'ANTHROPIC_BASE_URL'),
      maxRetries: optional(env, 'CLAUDE_CODE_MAX_RETRIES'),
      passThrough: Object.fromEntries(
        MODEL_PASS_THROUGH_VARIABLES.flatMap((name) => {
          const value = optional(env, name);
          return value ? [[name, value]] : [];
        }),
      ),
    },
    git: loadGitAccess(env),
  };
}

/** ws(s)://host[/prefix]/api/runner/v1/channel from an http(s) or ws(s) base URL. */
export function channelUrl(serverUrl: string, channelPath: string): string {
  const base = serverUrl.replace(/\/+$/, '').replace(/^http(s?):\/\//, 'ws$1://');
  return base + channelPath;
}
