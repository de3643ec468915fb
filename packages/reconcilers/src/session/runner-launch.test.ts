import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgenticSessionKind, PROJECT_SETTINGS_NAME, ProjectSettingsKind, RUNNER_ENV } from '@ambient/contracts';
import { SECRET_NAMES, systemClock, verifyRunnerToken } from '@ambient/core';
import { openDatabase, SqliteResourceStore, SqliteSecretStore } from '@ambient/runtime-local';
import { createRunnerLauncher } from './runner-launch.ts';

describe('createRunnerLauncher', () => {
  let database: ReturnType<typeof openDatabase>;
  let store: SqliteResourceStore;
  let secrets: SqliteSecretStore;

  beforeEach(() => {
    database = openDatabase(':memory:');
    store = new SqliteResourceStore(database);
    secrets = new SqliteSecretStore(database, randomBytes(32));
  });
  afterEach(() => database.close());

  const launcher = () =>
    createRunnerLauncher({
      serverUrl: () => 'http://127.0.0.1:9999',
      runnerTokenSecret: 'key',
      anthropicApiKey: 'platform-key',
      anthropicBaseUrl: 'http://platform-model',
      runnerEnv: { CLAUDE_CODE_MAX_RETRIES: '1' },
      store,
      secrets,
      clock: systemClock,
    });

  it('gives the runner a token for exactly this session run, the spec, and the platform model', async () => {
    const session = await store.create(AgenticSessionKind, { metadata: { name: 's1', namespace: 'p1' }, spec: { initialPrompt: 'hi', interactive: false, timeout: 120 } });
    const launch = await launcher()(session, 3);
    expect(launch.env).toMatchObject({
      [RUNNER_ENV.serverUrl]: 'http://127.0.0.1:9999',
      [RUNNER_ENV.project]: 'p1',
      [RUNNER_ENV.sessionName]: 's1',
      ANTHROPIC_BASE_URL: 'http://platform-model',
      CLAUDE_CODE_MAX_RETRIES: '1',
    });
    expect(JSON.parse(launch.env[RUNNER_ENV.sessionSpec]!)).toMatchObject({ initialPrompt: 'hi', interactive: false });
    expect(launch.secretEnv['ANTHROPIC_API_KEY']).toBe('platform-key');
    expect(JSON.stringify(launch.env)).not.toContain('platform-key');
    const claims = verifyRunnerToken(launch.secretEnv[RUNNER_ENV.token]!, 'key', Math.floor(Date.now() / 1000));
    expect(claims).toMatchObject({ project: 'p1', sessionName: 's1', sessionUid: session.metadata.uid, runNumber: 3 });
    expect(launch.activeDeadlineSeconds).toBe(120);
  });

  it('lets project settings and secrets override the platform defaults', async () => {
    await store.create(ProjectSettingsKind, {
      metadata: { name: PROJECT_SETTINGS_NAME, namespace: 'p1' },
      spec: { groupAccess: [], defaultModel: 'project-model', modelBaseUrl: 'http://project-model', defaultTimeoutSeconds: 300 },
    });
    await secrets.put('p1', SECRET_NAMES.runner, { ANTHROPIC_API_KEY: 'project-key' });
    await secrets.put('p1', SECRET_NAMES.integrations, { GITHUB_TOKEN: 'ghp_project' });
    const session = await store.create(AgenticSessionKind, { metadata: { name: 's1', namespace: 'p1' }, spec: { initialPrompt: 'hi', interactive: true } });
    const launch = await launcher()(session, 1);
    expect(launch.env['ANTHROPIC_BASE_URL']).toBe('http://project-model');
    expect(JSON.parse(launch.env[RUNNER_ENV.sessionSpec]!).llmSettings.model).toBe('project-model');
    expect(launch.secretEnv).toMatchObject({ ANTHROPIC_API_KEY: 'project-key', GITHUB_TOKEN: 'ghp_project' });
    expect(launch.activeDeadlineSeconds).toBe(300);
  });
});
