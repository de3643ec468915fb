/** Session API beyond create/get: pagination and search, spec updates, metadata patches, clone, rename. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgenticSessionKind } from '@ambient/contracts';
import { createApp } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from '../test-support/embedded-deps.ts';

describe('session API', () => {
  let deps: ApiDeps;
  let close: () => void;
  let app: ReturnType<typeof createApp>;

  const call = async (method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;
  const create = async (project: string, body: unknown) => json<{ name: string; uid: string }>(call('POST', `/api/projects/${project}/agentic-sessions`, body));

  beforeEach(async () => {
    ({ deps, close } = createTestDeps());
    app = createApp(deps);
    await call('POST', '/api/projects', { name: 'alpha' });
    await call('POST', '/api/projects', { name: 'beta' });
  });
  afterEach(() => close());

  it('pages through sessions newest first, with search and a total count', async () => {
    const names: string[] = [];
    for (let index = 0; index < 7; index += 1) {
      names.push((await create('alpha', { prompt: 'x', displayName: index % 2 === 0 ? `Refactor ${index}` : `Docs ${index}` })).name);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const first = await json<{ items: { metadata: { name: string } }[]; totalCount: number; continue?: string }>(call('GET', '/api/projects/alpha/agentic-sessions?limit=3'));
    expect(first.totalCount).toBe(7);
    expect(first.items.map((item) => item.metadata.name)).toEqual([...names].reverse().slice(0, 3));
    const second = await json<{ items: unknown[]; continue?: string }>(call('GET', `/api/projects/alpha/agentic-sessions?limit=3&continue=${first.continue}`));
    const third = await json<{ items: unknown[]; continue?: string }>(call('GET', `/api/projects/alpha/agentic-sessions?limit=3&continue=${second.continue}`));
    expect(second.items).toHaveLength(3);
    expect(third.items).toHaveLength(1);
    expect(third.continue).toBeUndefined();
    const found = await json<{ items: { spec: { displayName: string } }[] }>(call('GET', '/api/projects/alpha/agentic-sessions?search=refactor'));
    expect(found.items.map((item) => item.spec.displayName).sort()).toEqual(['Refactor 0', 'Refactor 2', 'Refactor 4', 'Refactor 6']);
    expect((await call('GET', '/api/projects/alpha/agentic-sessions?limit=0')).status).toBe(400);
    expect((await call('GET', '/api/projects/alpha/agentic-sessions?continue=abc')).status).toBe(400);
  });

  it('updates the spec of a session that is not running, and refuses with 409 while it runs', async () => {
    const { name } = await create('alpha', { prompt: 'first' });
    const updated = await json<{ spec: { initialPrompt: string }; metadata: { generation: number } }>(
      call('PUT', `/api/projects/alpha/agentic-sessions/${name}`, { initialPrompt: 'second', timeout: 60 }),
    );
    expect(updated.spec.initialPrompt).toBe('second');
    expect(updated.metadata.generation).toBe(2);
    const stored = await deps.store.get(AgenticSessionKind, 'alpha', name);
    await deps.store.patchStatus(AgenticSessionKind, 'alpha', name, { phase: 'Running' }, { resourceVersion: stored!.metadata.resourceVersion });
    const refused = await call('PUT', `/api/projects/alpha/agentic-sessions/${name}`, { initialPrompt: 'third' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toContain('Running');
    // A rename is fine while running.
    const renamed = await call('PUT', `/api/projects/alpha/agentic-sessions/${name}/displayname`, { displayName: 'Renamed' });
    expect(renamed.status).toBe(200);
    expect((await call('PUT', `/api/projects/alpha/agentic-sessions/${name}`, { status: { phase: 'Completed' } })).status).toBe(400);
  });

  it('patches annotations and labels only; null removes a key', async () => {
    const { name } = await create('alpha', { prompt: 'x' });
    const patched = await json<{ metadata: { annotations: Record<string, string>; labels: Record<string, string> } }>(
      call('PATCH', `/api/projects/alpha/agentic-sessions/${name}`, { annotations: { 'example.com/ticket': 'ABC-1' }, labels: { team: 'core' } }),
    );
    expect(patched.metadata.annotations['example.com/ticket']).toBe('ABC-1');
    expect(patched.metadata.labels.team).toBe('core');
    const removed = await json<{ metadata: { annotations: Record<string, string> } }>(
      call('PATCH', `/api/projects/alpha/agentic-sessions/${name}`, { annotations: { 'example.com/ticket': null } }),
    );
    expect(removed.metadata.annotations['example.com/ticket']).toBeUndefined();
    expect((await call('PATCH', `/api/projects/alpha/agentic-sessions/${name}`, { spec: {} })).status).toBe(400);
  });

  it('clones a session into another project as a new session of the caller', async () => {
    const { name } = await create('alpha', { prompt: 'do it', displayName: 'Original', llmSettings: { model: 'claude-x' } });
    const cloned = await call('POST', `/api/projects/alpha/agentic-sessions/${name}/clone`, { targetProject: 'beta' });
    expect(cloned.status).toBe(201);
    const { name: cloneName, project } = (await cloned.json()) as { name: string; project: string };
    expect(project).toBe('beta');
    const copy = await json<{ spec: { initialPrompt: string; displayName: string; llmSettings: { model: string } }; metadata: { annotations: Record<string, string> } }>(
      call('GET', `/api/projects/beta/agentic-sessions/${cloneName}`),
    );
    expect(copy.spec).toMatchObject({ initialPrompt: 'do it', displayName: 'Original (copy)', llmSettings: { model: 'claude-x' } });
    expect(copy.metadata.annotations['ambient-code.io/cloned-from']).toBe(`alpha/${name}`);
    expect((await call('POST', `/api/projects/alpha/agentic-sessions/${name}/clone`, { targetProject: 'nowhere' })).status).toBe(404);
  });

  it('reports the mode in cluster-info', async () => {
    expect(await json(call('GET', '/api/cluster-info'))).toMatchObject({ mode: 'embedded' });
  });
});
