/** Project settings and secrets: secret values go in and never come back out. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from '../test-support/embedded-deps.ts';

describe('project settings and secrets', () => {
  let deps: ApiDeps;
  let close: () => void;
  let app: ReturnType<typeof createApp>;
  const call = async (method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeEach(async () => {
    ({ deps, close } = createTestDeps());
    app = createApp(deps);
    await call('POST', '/api/projects', { name: 'alpha' });
  });
  afterEach(() => close());

  it('stores secret values write-only', async () => {
    const put = await call('PUT', '/api/projects/alpha/runner-secrets', { data: { ANTHROPIC_API_KEY: 'sk-ant-very-secret' } });
    expect(put.status).toBe(200);
    const shown = await (await call('GET', '/api/projects/alpha/runner-secrets')).text();
    expect(shown).toContain('ANTHROPIC_API_KEY');
    expect(shown).not.toContain('sk-ant-very-secret');
    expect(await deps.secrets.read('alpha', 'ambient-runner-secrets')).toEqual({ ANTHROPIC_API_KEY: 'sk-ant-very-secret' });
    const rejected = await call('PUT', '/api/projects/alpha/runner-secrets', { data: { GITHUB_TOKEN: 'x' } });
    expect(rejected.status).toBe(400);
    expect(await rejected.text()).not.toContain('"x"');
    expect((await call('PUT', '/api/projects/alpha/integration-secrets', { data: { GITHUB_TOKEN: 'ghp_abc', 'bad key': 'x' } })).status).toBe(400);
    expect((await call('PUT', '/api/projects/alpha/integration-secrets', { data: { GITHUB_TOKEN: 'ghp_abc' } })).status).toBe(200);
  });

  it('reads and replaces project settings', async () => {
    const initial = (await (await call('GET', '/api/projects/alpha/settings')).json()) as { spec: { groupAccess: unknown[] } };
    expect(initial.spec.groupAccess).toEqual([]);
    const saved = await call('PUT', '/api/projects/alpha/settings', { groupAccess: [], defaultModel: 'claude-sonnet', defaultTimeoutSeconds: 600, concurrencyLimit: 3 });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { spec: { defaultModel: string } }).spec.defaultModel).toBe('claude-sonnet');
    expect((await call('PUT', '/api/projects/alpha/settings', { defaultTimeoutSeconds: -1 })).status).toBe(400);
    expect((await call('PUT', '/api/projects/alpha/settings', { unknownField: 1 })).status).toBe(400);
  });
});
