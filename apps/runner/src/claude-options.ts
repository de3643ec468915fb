/**
 * How the runner starts Claude Code: workspace layout, the CLI's environment and the query options.
 *
 * Environment recipe (reference/environment-facts.md Q1): the SDK passes EXACTLY `env` to the CLI,
 * so nothing of the runner's own environment (its token!) leaks unless listed here. HOME and
 * CLAUDE_CONFIG_DIR live in the workspace, so the transcript survives the runner and `resume` works.
 * The NONESSENTIAL/telemetry switches keep the CLI from opening any socket but the model's.
 */
import type { Options } from '@anthropic-ai/claude-agent-sdk';
import type { RunnerConfig } from './config.ts';
import { credentialEntries, gitEnvironment } from './git-credentials.ts';
import { createClaudeSpawner } from './spawn-claude.ts';
import { systemPromptAppend } from './system-prompt.ts';
import type { WorkspaceLayout } from './workspace-layout.ts';

export { prepareWorkspace, repoDirectoryName, workspaceLayout } from './workspace-layout.ts';
export type { RepoLayout, WorkspaceLayout } from './workspace-layout.ts';

/** The tools that run without asking. We run as root, so bypassPermissions is never an option. */
export const ALLOWED_TOOLS = ['Read', 'Write', 'Edit', 'Bash', 'Glob', 'Grep', 'WebFetch'];

export function claudeEnvironment(
  config: RunnerConfig,
  layout: WorkspaceLayout,
  runnerEnvironment: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const environment: Record<string, string> = {
    // The user's variables first: the platform's own settings below must win (a spec could
    // otherwise point the project's API key at another endpoint, or move the transcripts).
    ...config.spec.environmentVariables,
    PATH: runnerEnvironment['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: layout.homeDir,
    CLAUDE_CONFIG_DIR: layout.claudeConfigDir,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
  };
  Object.assign(environment, config.model.passThrough);
  if (config.model.apiKey) environment['ANTHROPIC_API_KEY'] = config.model.apiKey;
  if (config.model.baseUrl) environment['ANTHROPIC_BASE_URL'] = config.model.baseUrl;
  if (config.model.maxRetries) environment['CLAUDE_CODE_MAX_RETRIES'] = config.model.maxRetries;
  // The same credential mechanism as the runner's clones, so `git push` works from the Bash tool.
  return { ...environment, ...repositoryGitEnvironment(config, layout) };
}

/** Git's environment for this session: identity, the credential helper and the credentials. */
export function repositoryGitEnvironment(
  config: RunnerConfig,
  layout: WorkspaceLayout,
): Record<string, string> {
  const entries = credentialEntries(config.spec.repos ?? [], config.git);
  return gitEnvironment(entries, config.git, layout.credentialHelperPath);
}

export interface QueryOptionsInput {
  resume?: string;
  /** Fork `resume` into a new conversation instead of continuing it (continuation sessions). */
  forkSession?: boolean;
  stderr?: (data: string) => void;
}

export function buildQueryOptions(
  config: RunnerConfig,
  layout: WorkspaceLayout,
  input: QueryOptionsInput,
): Options {
  const agentSettings = config.spec.agentSettings ?? {};
  const options: Options = {
    cwd: layout.cwd,
    permissionMode: agentSettings.permissionMode ?? 'acceptEdits',
    allowedTools: agentSettings.allowedTools ?? ALLOWED_TOOLS,
    includePartialMessages: true,
    // Sub-agents' text too, not only their tool calls: the UI shows who says what.
    forwardSubagentText: true,
    settingSources: [],
    systemPrompt: {
      type: 'preset',
      preset: 'claude_code',
      append: systemPromptAppend(config, layout),
    },
    env: claudeEnvironment(config, layout),
  };
  // The other repos and the artifacts directory stay reachable when a repo is the cwd.
  const additionalDirectories = [
    ...layout.repos.slice(1).map((repo) => repo.path),
    layout.artifactsDir,
  ].filter((directory) => directory !== layout.cwd);
  if (additionalDirectories.length > 0) options.additionalDirectories = additionalDirectories;
  if (config.spec.llmSettings?.model) options.model = config.spec.llmSettings.model;
  if (agentSettings.maxTurns) options.maxTurns = agentSettings.maxTurns;
  if (agentSettings.disallowedTools) options.disallowedTools = agentSettings.disallowedTools;
  if (agentSettings.permissionMode === 'bypassPermissions') {
    // The CLI refuses this mode as root unless told it runs in a sandbox (environment-facts Q1);
    // the session's workspace is that sandbox. Never pass allowDangerouslySkipPermissions with
    // another mode: the flag alone triggers the root check.
    options.allowDangerouslySkipPermissions = true;
    options.env = { ...options.env, IS_SANDBOX: '1' };
  }
  if (input.resume) options.resume = input.resume;
  if (input.resume && input.forkSession) options.forkSession = true;
  // Our spawner (the CLI dies with the runner) also takes the CLI's stderr.
  options.spawnClaudeCodeProcess = createClaudeSpawner(input.stderr ?? (() => undefined));
  return options;
}
