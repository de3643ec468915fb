/**
 * How the runner starts Claude Code: workspace layout, the CLI's environment and the query options.
 *
 * Environment recipe (reference/environment-facts.md Q1): the SDK passes EXACTLY `env` to the CLI,
 * so nothing of the runner's own environment (its token!) leaks unless listed here. HOME and
 * CLAUDE_CONFIG_DIR live in the workspace, so the transcript survives the runner and `resume` works.
 * The NONESSENTIAL/telemetry switches keep the CLI from opening any socket but the model's.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Options } from '@anthropic-ai/claude-agent-sdk';
import type { RunnerConfig } from './config.ts';
import { createClaudeSpawner } from './spawn-claude.ts';

/** The tools that run without asking. We run as root, so bypassPermissions is never an option. */
export const ALLOWED_TOOLS = ['Read', 'Write', 'Edit', 'Bash', 'Glob', 'Grep', 'WebFetch'];

export interface RepoLayout {
  name: string;
  path: string;
  url: string;
  autoPush: boolean;
}

export interface WorkspaceLayout {
  workspaceDir: string;
  /** Claude Code's working directory: the first repo, else the artifacts directory. */
  cwd: string;
  artifactsDir: string;
  homeDir: string;
  claudeConfigDir: string;
  stateDir: string;
  repos: RepoLayout[];
}

/** `https://host/org/my-repo.git` → `my-repo`; anything unsafe in a path segment becomes `-`. */
export function repoDirectoryName(url: string, index: number): string {
  const lastSegment =
    url
      .replace(/[/\\]+$/, '')
      .split(/[/\\:]/)
      .at(-1) ?? '';
  const name = lastSegment
    .replace(/\.git$/, '')
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^\.+/, '');
  return name || `repo-${index + 1}`;
}

export function workspaceLayout(config: RunnerConfig): WorkspaceLayout {
  const workspaceDir = config.workspaceDir;
  const repos = (config.spec.repos ?? []).map((repo, index) => {
    const name = repoDirectoryName(repo.url, index);
    return {
      name,
      path: join(workspaceDir, 'repos', name),
      url: repo.url,
      autoPush: repo.autoPush,
    };
  });
  const artifactsDir = join(workspaceDir, 'artifacts');
  const stateDir = join(workspaceDir, '.ambient');
  return {
    workspaceDir,
    cwd: repos[0]?.path ?? artifactsDir,
    artifactsDir,
    homeDir: join(stateDir, 'home'),
    claudeConfigDir: join(workspaceDir, '.claude'),
    stateDir,
    repos,
  };
}

/** Creates the directories the CLI needs; a repo directory is created empty if nobody cloned it. */
export function prepareWorkspace(layout: WorkspaceLayout): void {
  for (const directory of [
    layout.cwd,
    layout.artifactsDir,
    layout.homeDir,
    layout.claudeConfigDir,
    layout.stateDir,
  ]) {
    mkdirSync(directory, { recursive: true });
  }
}

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
  if (config.model.apiKey) environment['ANTHROPIC_API_KEY'] = config.model.apiKey;
  if (config.model.baseUrl) environment['ANTHROPIC_BASE_URL'] = config.model.baseUrl;
  if (config.model.maxRetries) environment['CLAUDE_CODE_MAX_RETRIES'] = config.model.maxRetries;
  return environment;
}

export function systemPromptAppend(config: RunnerConfig, layout: WorkspaceLayout): string {
  const lines = [
    `You are running in the Ambient Code Platform, session "${config.sessionName}" of project "${config.project}".`,
    `Your working directory is ${layout.cwd}.`,
    `Put files you produce that do not belong in a repository in ${layout.artifactsDir}.`,
  ];
  if (layout.repos.length > 0) {
    lines.push('Repositories in this workspace:');
    for (const repo of layout.repos) lines.push(`- ${repo.path} (${repo.url})`);
  }
  const pushed = layout.repos.filter((repo) => repo.autoPush);
  if (pushed.length > 0) {
    lines.push(
      `Commit your changes in ${pushed.map((repo) => repo.name).join(', ')} on the branch ` +
        `ambient/${config.sessionName}; they are pushed when the session finishes.`,
    );
  }
  return lines.join('\n');
}

export interface QueryOptionsInput {
  resume?: string;
  stderr?: (data: string) => void;
}

export function buildQueryOptions(
  config: RunnerConfig,
  layout: WorkspaceLayout,
  input: QueryOptionsInput,
): Options {
  const options: Options = {
    cwd: layout.cwd,
    permissionMode: 'acceptEdits',
    allowedTools: ALLOWED_TOOLS,
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
  if (input.resume) options.resume = input.resume;
  // Our spawner (the CLI dies with the runner) also takes the CLI's stderr.
  options.spawnClaudeCodeProcess = createClaudeSpawner(input.stderr ?? (() => undefined));
  return options;
}
