import { describe, expect, it } from 'vitest';
import type { AgenticSessionSpec } from '@ambient/contracts';
import {
  ALLOWED_TOOLS,
  buildQueryOptions,
  repoDirectoryName,
  workspaceLayout,
} from './claude-options.ts';
import type { RunnerConfig } from './config.ts';
import { loadGitAccess } from './git-credentials.ts';

function config(spec: Partial<AgenticSessionSpec> = {}): RunnerConfig {
  return {
    serverUrl: 'http://127.0.0.1:1',
    token: 'art1.token.secret',
    project: 'team-a',
    sessionName: 'session-1',
    workspaceDir: '/ws',
    spec: { interactive: true, ...spec },
    model: { apiKey: 'sk-ant-key', baseUrl: 'http://127.0.0.1:2', maxRetries: '1', passThrough: {} },
    git: loadGitAccess({}),
  };
}

describe('buildQueryOptions', () => {
  it('builds the environment exactly per the recipe, without the runner token', () => {
    const options = buildQueryOptions(config(), workspaceLayout(config()), {});
    const gitVariables = Object.entries(options.env!).filter(([name]) => name.startsWith('GIT_'));
    const otherVariables = Object.fromEntries(
      Object.entries(options.env!).filter(([name]) => !name.startsWith('GIT_')),
    );
    // Git gets identity and the credential helper even without repos (the agent may clone some).
    expect(Object.fromEntries(gitVariables)).toMatchObject({
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_KEY_3: 'user.name',
      GIT_CONFIG_VALUE_3: 'Ambient Agent',
    });
    expect(otherVariables).toEqual({
      PATH: process.env['PATH'],
      HOME: '/ws/.ambient/home',
      CLAUDE_CONFIG_DIR: '/ws/.claude',
      ANTHROPIC_API_KEY: 'sk-ant-key',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:2',
      CLAUDE_CODE_MAX_RETRIES: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
    });
  });

  it('adds the spec variables but never lets them override the platform settings', () => {
    const spec = {
      environmentVariables: { MY_FLAG: 'on', ANTHROPIC_BASE_URL: 'http://evil', HOME: '/root' },
    };
    const env = buildQueryOptions(config(spec), workspaceLayout(config(spec)), {}).env!;
    expect(env['MY_FLAG']).toBe('on');
    expect(env['ANTHROPIC_BASE_URL']).toBe('http://127.0.0.1:2');
    expect(env['HOME']).toBe('/ws/.ambient/home');
  });

  it('passes Vertex AI / Bedrock settings from the project secrets through to Claude Code', () => {
    const base = config();
    const withVertex = { ...base, model: { ...base.model, passThrough: { CLAUDE_CODE_USE_VERTEX: '1', CLOUD_ML_REGION: 'us-east5' } } };
    const env = buildQueryOptions(withVertex, workspaceLayout(withVertex), {}).env!;
    expect(env['CLAUDE_CODE_USE_VERTEX']).toBe('1');
    expect(env['CLOUD_ML_REGION']).toBe('us-east5');
  });

  it('runs with acceptEdits and allowed tools, never with bypassPermissions (we are root)', () => {
    const options = buildQueryOptions(config(), workspaceLayout(config()), { resume: 'sdk-1' });
    expect(options).toMatchObject({
      permissionMode: 'acceptEdits',
      allowedTools: ALLOWED_TOOLS,
      includePartialMessages: true,
      settingSources: [],
      resume: 'sdk-1',
      cwd: '/ws/artifacts',
    });
    expect(options.allowDangerouslySkipPermissions).toBeUndefined();
    expect(options.model).toBeUndefined();
  });

  it('works in the first repo, keeps the others reachable, and takes the model from the spec', () => {
    const spec = {
      repos: [
        { url: 'https://github.com/org/first.git', autoPush: true },
        { url: 'git@github.com:org/second.git', autoPush: false },
      ],
      llmSettings: { model: 'claude-sonnet-x' },
    };
    const layout = workspaceLayout(config(spec));
    const options = buildQueryOptions(config(spec), layout, {});
    expect(options.cwd).toBe('/ws/repos/first');
    expect(options.additionalDirectories).toEqual(['/ws/repos/second', '/ws/artifacts']);
    expect(options.model).toBe('claude-sonnet-x');
    const systemPrompt = options.systemPrompt as { append: string };
    expect(systemPrompt.append).toContain('ambient/session-1');
    expect(systemPrompt.append).toContain('/ws/repos/second');
  });
});

describe('repoDirectoryName', () => {
  it.each([
    ['https://github.com/org/repo.git', 'repo'],
    ['https://github.com/org/repo/', 'repo'],
    ['git@github.com:org/my repo.git', 'my-repo'],
    ['https://example.com/..', 'repo-1'],
  ])('%s → %s', (url, expected) => {
    expect(repoDirectoryName(url, 0)).toBe(expected);
  });
});
