import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from '../test-support/embedded-deps.ts';
import { AuthFailureLimiter, FREE_FAILURES } from './failure-limiter.ts';

describe('users, login and tokens', () => {
  let deps: ApiDeps;
  let close: () => void;
  let app: ReturnType<typeof createApp>;

  beforeEach(() => {
    ({ deps, close } = createTestDeps());
    app = createApp(deps);
  });
  afterEach(() => close());

  const call = async (method: string, path: string, token: string | undefined, body?: unknown) =>
    app.request(path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('lets the admin create a user who signs in with a password and sees who they are', async () => {
    const created = await call('POST', '/api/users', TEST_ADMIN_TOKEN, { name: 'ada', displayName: 'Ada', groups: ['eng'], password: 'correct horse battery' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: 'ada', groups: ['eng'], isAdmin: false });

    const wrong = await call('POST', '/api/auth/login', undefined, { username: 'ada', password: 'nope' });
    expect(wrong.status).toBe(401);
    const login = await call('POST', '/api/auth/login', undefined, { username: 'ada', password: 'correct horse battery' });
    expect(login.status).toBe(200);
    const { token, expiresAt } = (await login.json()) as { token: string; expiresAt: string };
    expect(token).toMatch(/^acp_/);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    const me = await call('GET', '/api/auth/me', token);
    expect(await me.json()).toMatchObject({ userId: 'ada', groups: ['eng'], isAdmin: false });
  });

  it('keeps user management to administrators and tokens to their owner', async () => {
    await call('POST', '/api/users', TEST_ADMIN_TOKEN, { name: 'bob' });
    await call('POST', '/api/users', TEST_ADMIN_TOKEN, { name: 'eve' });
    const bobToken = ((await (await call('POST', '/api/users/bob/tokens', TEST_ADMIN_TOKEN, { name: 'cli' })).json()) as { token: string }).token;
    expect((await call('GET', '/api/users', bobToken)).status).toBe(403);
    expect((await call('POST', '/api/users', bobToken, { name: 'mallory' })).status).toBe(403);
    expect((await call('POST', '/api/users/eve/tokens', bobToken, { name: 'steal' })).status).toBe(403);
    expect((await call('POST', '/api/users/bob/tokens', bobToken, { name: 'second' })).status).toBe(201);
    expect((await call('POST', '/api/users', TEST_ADMIN_TOKEN, { name: 'bob' })).status).toBe(409);
    expect((await call('POST', '/api/users', TEST_ADMIN_TOKEN, { name: 'weak', password: 'short' })).status).toBe(400);
  });

  it('accepts the token an OAuth proxy forwards, and shows its preferred user name', async () => {
    const response = await app.request('/api/auth/me', {
      headers: { 'x-forwarded-access-token': TEST_ADMIN_TOKEN, 'x-forwarded-preferred-username': 'Ada L.' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ userId: 'admin' });
    expect((await app.request('/api/auth/me', { headers: { 'x-forwarded-access-token': 'forged-token-value' } })).status).toBe(401);
  });

  it('refuses expired tokens', async () => {
    await deps.identities.createUser({ name: 'carol' });
    const issued = await deps.identities.issueToken({ subject: { kind: 'user', userName: 'carol' }, name: 'old', expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect((await call('GET', '/api/auth/me', issued.token)).status).toBe(401);
  });
});

describe('AuthFailureLimiter', () => {
  it('blocks a client after repeated failures, with a doubling delay, and forgets on success', () => {
    let now = 1_000_000;
    const limiter = new AuthFailureLimiter(() => now);
    for (let attempt = 0; attempt < FREE_FAILURES; attempt += 1) {
      limiter.check('10.0.0.1');
      limiter.recordFailure('10.0.0.1');
    }
    limiter.check('10.0.0.1');
    limiter.recordFailure('10.0.0.1');
    expect(() => limiter.check('10.0.0.1')).toThrow(/too many failed authentications/);
    expect(() => limiter.check('10.0.0.2')).not.toThrow();
    now += 1_001;
    expect(() => limiter.check('10.0.0.1')).not.toThrow();
    limiter.recordFailure('10.0.0.1');
    now += 1_500;
    expect(() => limiter.check('10.0.0.1')).toThrow();
    limiter.recordSuccess('10.0.0.1');
    expect(() => limiter.check('10.0.0.1')).not.toThrow();
  });
});
