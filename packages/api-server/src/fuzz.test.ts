/**
 * Property-based fuzzing of the HTTP surface: whatever bodies, path parameters, query strings and
 * headers a client sends, the server answers without a 5xx, and every 4xx carries a JSON body
 * `{error, message}` that says what was wrong.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from './test-support/embedded-deps.ts';

const ROUTES: [string, string][] = [
  ['POST', '/api/projects'],
  ['PUT', '/api/projects/{p}'],
  ['POST', '/api/projects/{p}/agentic-sessions'],
  ['PUT', '/api/projects/{p}/agentic-sessions/{s}'],
  ['PATCH', '/api/projects/{p}/agentic-sessions/{s}'],
  ['POST', '/api/projects/{p}/agentic-sessions/{s}/agui/run'],
  ['POST', '/api/projects/{p}/agentic-sessions/{s}/clone'],
  ['PUT', '/api/projects/{p}/agentic-sessions/{s}/displayname'],
  ['POST', '/api/projects/{p}/permissions'],
  ['POST', '/api/projects/{p}/keys'],
  ['PUT', '/api/projects/{p}/settings'],
  ['PUT', '/api/projects/{p}/runner-secrets'],
  ['POST', '/api/users'],
  ['POST', '/api/auth/login'],
  ['GET', '/api/projects/{p}/agentic-sessions'],
  ['GET', '/api/projects/{p}/agentic-sessions/{s}/workspace/{s}'],
  ['DELETE', '/api/projects/{p}/permissions/{s}/{s}'],
];

describe('fuzzing the API', () => {
  const workspaceRoot = mkdtempSync(join(tmpdir(), 'fuzz-workspaces-'));
  const { deps, close } = createTestDeps({}, { workspaceRoot });
  const app = createApp(deps);
  let session = '';

  beforeAll(async () => {
    const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };
    await app.request('/api/projects', { method: 'POST', headers, body: JSON.stringify({ name: 'alpha' }) });
    const created = await app.request('/api/projects/alpha/agentic-sessions', { method: 'POST', headers, body: JSON.stringify({ prompt: 'x' }) });
    session = ((await created.json()) as { name: string }).name;
  });
  afterAll(() => {
    close();
    rmSync(workspaceRoot, { recursive: true, force: true });
  });

  async function expectWellFormed(response: Response): Promise<void> {
    expect(response.status).toBeLessThan(500);
    if (response.status >= 400) {
      const body = (await response.json()) as { error?: unknown; message?: unknown };
      expect(typeof body.error).toBe('string');
      expect(typeof body.message).toBe('string');
      expect((body.message as string).length).toBeGreaterThan(0);
    } else {
      await response.body?.cancel();
    }
  }

  const segment = fc.oneof(
    fc.constantFrom('alpha', 'beta', 'x'.repeat(300), '..', '%2e%2e', 'UPPER', '-bad-', 'a%00b'),
    fc.string({ maxLength: 20 }).map((text) => encodeURIComponent(text) || 'empty'),
  );
  const jsonBody = fc.oneof(
    fc.json().map(String),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.string(),
    fc.constant('{"name":'),
    fc.record({ name: fc.string(), prompt: fc.string(), interactive: fc.anything(), timeout: fc.anything(), repos: fc.anything() }).map((value) => JSON.stringify(value)),
  );

  it('never answers a random body with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), segment, jsonBody, fc.boolean(), async ([method, template], projectSegment, body, realSession) => {
        const path = template.replace('{p}', projectSegment === 'beta' ? 'alpha' : projectSegment).replaceAll('{s}', realSession ? session : projectSegment);
        const response = await app.request(path, {
          method,
          headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: method === 'GET' || method === 'DELETE' ? undefined : body,
        });
        await expectWellFormed(response);
      }),
      { numRuns: 400 },
    );
  });

  it('never answers random headers and query strings with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.oneof(fc.constant(`Bearer ${TEST_ADMIN_TOKEN}`), fc.string({ maxLength: 60 }), fc.string({ maxLength: 40 }).map((text) => `Bearer ${text}`)),
        fc.dictionary(fc.constantFrom('limit', 'continue', 'search', 'phase', 'after'), fc.string({ maxLength: 30 })),
        fc.constantFrom('application/json', 'text/plain', '', 'multipart/form-data; boundary=x'),
        async ([method, template], authorization, query, contentType) => {
          const path = template.replace('{p}', 'alpha').replaceAll('{s}', session);
          const search = new URLSearchParams(query).toString();
          const response = await app.request(`${path}${search ? `?${search}` : ''}`, {
            method,
            headers: { authorization, 'content-type': contentType },
            body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
          });
          await expectWellFormed(response);
        },
      ),
      { numRuns: 300 },
    );
  });
});
