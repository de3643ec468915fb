import { describe, expect, it } from 'vitest';
import { RUNNER_CHANNEL_PATH, RUNNER_ENV } from '@ambient/contracts';
import { channelUrl, ConfigError, loadConfig } from './config.ts';

const VALID_ENV = {
  [RUNNER_ENV.serverUrl]: 'http://127.0.0.1:8080',
  [RUNNER_ENV.token]: 'art1.payload.signature',
  [RUNNER_ENV.project]: 'team-a',
  [RUNNER_ENV.sessionName]: 'session-abc',
  [RUNNER_ENV.workspaceDir]: '/var/lib/ambient/ws',
  [RUNNER_ENV.sessionSpec]: JSON.stringify({
    initialPrompt: 'hi',
    llmSettings: { model: 'claude-x' },
  }),
  ANTHROPIC_API_KEY: 'sk-ant-secret',
  ANTHROPIC_BASE_URL: 'http://127.0.0.1:9999',
};

describe('loadConfig', () => {
  it('reads every runner variable and applies the spec defaults', () => {
    const config = loadConfig(VALID_ENV);
    expect(config).toMatchObject({
      serverUrl: 'http://127.0.0.1:8080',
      token: 'art1.payload.signature',
      project: 'team-a',
      sessionName: 'session-abc',
      workspaceDir: '/var/lib/ambient/ws',
      spec: { initialPrompt: 'hi', interactive: true, llmSettings: { model: 'claude-x' } },
      model: { apiKey: 'sk-ant-secret', baseUrl: 'http://127.0.0.1:9999' },
    });
    expect(config.resumeSdkSessionId).toBeUndefined();
  });

  it('takes the resume id, CLAUDE_CODE_MAX_RETRIES, and defaults the workspace to the cwd', () => {
    const env: Record<string, string | undefined> = {
      ...VALID_ENV,
      [RUNNER_ENV.resumeSdkSessionId]: 'sdk-123',
      [RUNNER_ENV.workspaceDir]: undefined,
      CLAUDE_CODE_MAX_RETRIES: '0',
    };
    const config = loadConfig(env, '/work/ws');
    expect(config.resumeSdkSessionId).toBe('sdk-123');
    expect(config.workspaceDir).toBe('/work/ws');
    expect(config.model.maxRetries).toBe('0');
  });

  it.each([
    RUNNER_ENV.serverUrl,
    RUNNER_ENV.token,
    RUNNER_ENV.project,
    RUNNER_ENV.sessionName,
    RUNNER_ENV.sessionSpec,
  ])('names the missing variable %s', (name) => {
    expect(() => loadConfig({ ...VALID_ENV, [name]: '  ' })).toThrow(
      new ConfigError(`${name} is not set`),
    );
  });

  it('leaves a missing API key to the prerequisite check', () => {
    expect(loadConfig({ ...VALID_ENV, ANTHROPIC_API_KEY: undefined }).model.apiKey).toBeUndefined();
  });

  it.each([
    ['not json', /not valid JSON/],
    [JSON.stringify({ interactive: 'yes' }), /interactive/],
    [JSON.stringify({ repos: [{ url: '' }] }), /repos\.0\.url/],
  ])('rejects the session spec %s', (spec, message) => {
    expect(() => loadConfig({ ...VALID_ENV, [RUNNER_ENV.sessionSpec]: spec })).toThrow(message);
  });

  it('rejects a server URL without a scheme', () => {
    expect(() => loadConfig({ ...VALID_ENV, [RUNNER_ENV.serverUrl]: '127.0.0.1:8080' })).toThrow(
      ConfigError,
    );
  });
});

describe('channelUrl', () => {
  it.each([
    ['http://127.0.0.1:8080', `ws://127.0.0.1:8080${RUNNER_CHANNEL_PATH}`],
    ['https://ambient.example.com/', `wss://ambient.example.com${RUNNER_CHANNEL_PATH}`],
    ['https://example.com/prefix', `wss://example.com/prefix${RUNNER_CHANNEL_PATH}`],
    ['ws://host:1', `ws://host:1${RUNNER_CHANNEL_PATH}`],
  ])('%s → %s', (serverUrl, expected) => {
    expect(channelUrl(serverUrl, RUNNER_CHANNEL_PATH)).toBe(expected);
  });
});
