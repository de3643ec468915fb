/** Workspace files: confined to the workspace (no `..`, no symlink escapes, runner internals hidden). */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from '../test-support/embedded-deps.ts';
import { confinedRelativePath } from './workspace.ts';

describe('workspace routes', () => {
  let root: string;
  let outside: string;
  let close: () => void;
  let app: ReturnType<typeof createApp>;
  let base: string;
  let workspace: string;

  const call = async (method: string, path: string, body?: string) =>
    app.request(path, { method, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body });

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'workspaces-'));
    outside = mkdtempSync(join(tmpdir(), 'outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'not yours');
    const created = createTestDeps({}, { workspaceRoot: root });
    close = created.close;
    app = createApp(created.deps);
    await app.request('/api/projects', { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'alpha' }) });
    const session = await app.request('/api/projects/alpha/agentic-sessions', { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'x' }) });
    const { name } = (await session.json()) as { name: string };
    base = `/api/projects/alpha/agentic-sessions/${name}/workspace`;
    workspace = join(root, 'alpha', name);
    mkdirSync(join(workspace, '.ambient'), { recursive: true });
    writeFileSync(join(workspace, '.ambient', 'outbox.jsonl'), 'internal');
  });

  afterEach(() => {
    close();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('writes, lists, reads and deletes files', async () => {
    expect((await call('PUT', `${base}/artifacts/notes/a.md`, '# hello')).status).toBe(201);
    expect(readFileSync(join(workspace, 'artifacts/notes/a.md'), 'utf8')).toBe('# hello');
    const listing = (await (await call('GET', base)).json()) as { items: { name: string; type: string }[] };
    expect(listing.items).toEqual([expect.objectContaining({ name: 'artifacts', type: 'directory' })]);
    const file = await call('GET', `${base}/artifacts/notes/a.md`);
    expect(await file.text()).toBe('# hello');
    expect((await call('DELETE', `${base}/artifacts/notes/a.md`)).status).toBe(204);
    expect((await call('GET', `${base}/artifacts/notes/a.md`)).status).toBe(404);
  });

  it.each([
    ['..%2F..%2Fetc%2Fpasswd', [403]],
    ['artifacts%2F..%2F..%2F..%2Fx', [403]],
    ['.ambient%2Foutbox.jsonl', [404]],
    ['.claude', [404]],
  ])('refuses %s', async (path, statuses) => {
    expect(statuses).toContain((await call('GET', `${base}/${path}`)).status);
    expect([...statuses, 400]).toContain((await call('PUT', `${base}/${path}`, 'x')).status);
  });

  it('does not follow a symlink out of the workspace, for reading or writing', async () => {
    symlinkSync(outside, join(workspace, 'escape'));
    symlinkSync(join(outside, 'secret.txt'), join(workspace, 'link.txt'));
    expect((await call('GET', `${base}/escape/secret.txt`)).status).toBe(403);
    expect((await call('GET', `${base}/link.txt`)).status).toBe(403);
    expect((await call('PUT', `${base}/escape/new.txt`, 'x')).status).toBe(403);
    expect((await call('DELETE', `${base}/escape/secret.txt`)).status).toBe(403);
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('not yours');
  });

  it('normalises paths', () => {
    expect(confinedRelativePath('/a/./b/../c.txt')).toBe('a/c.txt');
    expect(confinedRelativePath('')).toBe('');
    expect(() => confinedRelativePath('a/../../b')).toThrow(/leaves the workspace/);
  });
});
