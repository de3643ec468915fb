import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { HTML_CACHE, IMMUTABLE_CACHE, resolveInside, serveWebUi } from './static-web.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from './test-support/embedded-deps.ts';

/** An app shaped like createApp: API routes (behind a token check) first, the UI after them. */
function appServing(directory: string): Hono {
  const app = new Hono();
  app.notFound((c) => c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.get('/health', (c) => c.json({ status: 'healthy' }));
  const api = new Hono();
  api.use('*', async (c, next) => {
    if (c.req.header('authorization') !== 'Bearer ok') return c.json({ error: 'unauthorized', message: 'no token' }, 401);
    return next();
  });
  api.get('/projects', (c) => c.json({ items: [] }));
  app.route('/api', api);
  serveWebUi(app, { directory });
  return app;
}

describe('serveWebUi', () => {
  let workDir: string;
  let root: string;
  let app: Hono;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'static-web-'));
    root = join(workDir, 'out');
    mkdirSync(join(root, 'projects'), { recursive: true });
    mkdirSync(join(root, '_next', 'static', 'chunks'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<html>home</html>');
    writeFileSync(join(root, '404.html'), '<html>not found page</html>');
    writeFileSync(join(root, 'projects', 'index.html'), '<html>projects</html>');
    writeFileSync(join(root, 'projects', 'index.txt'), 'rsc payload');
    writeFileSync(join(root, '_next', 'static', 'chunks', 'app-1234.js'), 'console.log(1)');
    writeFileSync(join(root, '_next', 'static', 'chunks', 'app-1234.css'), 'body{}');
    writeFileSync(join(root, 'favicon.ico'), 'icon');
    writeFileSync(join(workDir, 'secret.txt'), 'do not serve');
    app = appServing(root);
  });

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('serves index.html for / and for directory paths, never cached without revalidation', async () => {
    const home = await app.request('/');
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(home.headers.get('cache-control')).toBe(HTML_CACHE);
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await home.text()).toBe('<html>home</html>');
    const projects = await app.request('/projects/?name=a');
    expect(projects.status).toBe(200);
    expect(await projects.text()).toBe('<html>projects</html>');
  });

  it('redirects a directory path without its slash, keeping the query', async () => {
    const response = await app.request('/projects?name=team-a&section=sessions');
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/projects/?name=team-a&section=sessions');
  });

  it('never redirects to another host: `/.//projects` must not become `//projects/`', async () => {
    const response = await app.request('http://localhost/.//projects?x=1');
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/projects/?x=1');
  });

  it('caches content-hashed /_next/static files for a year and types them', async () => {
    const script = await app.request('/_next/static/chunks/app-1234.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe(IMMUTABLE_CACHE);
    const style = await app.request('/_next/static/chunks/app-1234.css');
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const payload = await app.request('/projects/index.txt');
    expect(payload.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await app.request('/favicon.ico')).headers.get('content-type')).toBe('image/x-icon');
  });

  it('answers unknown pages with the exported 404 page and status 404', async () => {
    const response = await app.request('/no/such/page');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe('<html>not found page</html>');
  });

  it('leaves the API alone: its routes, its token check and its JSON 404', async () => {
    expect(await (await app.request('/api/projects', { headers: { authorization: 'Bearer ok' } })).json()).toEqual({ items: [] });
    expect((await app.request('/api/projects')).status).toBe(401);
    const unknown = await app.request('/api/nothing', { headers: { authorization: 'Bearer ok' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/json');
    expect(await (await app.request('/health')).json()).toEqual({ status: 'healthy' });
    const post = await app.request('/', { method: 'POST' });
    expect(post.status).toBe(404);
    expect(post.headers.get('content-type')).toContain('application/json');
  });

  it('never serves a file outside the directory', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/projects/..%2f..%2fsecret.txt', '/%252e%252e/secret.txt', '/..%5csecret.txt']) {
      const response = await app.request(path);
      expect(await response.text(), path).not.toContain('do not serve');
    }
    expect(resolveInside(root, '/../secret.txt')).toBeUndefined();
    expect(resolveInside(root, '/a%2fb')).toBeUndefined();
    expect(resolveInside(root, '/%E0%A4%A')).toBeUndefined();
    expect(resolveInside(root, '/projects/index.html')).toBe(join(root, 'projects', 'index.html'));
  });

  it('answers HEAD without a body and a matching If-None-Match with 304', async () => {
    const head = await app.request('/projects/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('<html>projects</html>'.length));
    expect(await head.text()).toBe('');
    const etag = head.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await app.request('/projects/', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });

  it('explains how to build the UI when the directory is missing', async () => {
    const bare = appServing(join(workDir, 'not-built'));
    const response = await bare.request('/');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build -w @ambient/web');
    expect((await bare.request('/projects/')).status).toBe(404);
  });

  it('works behind the real app: pages at /, the API and its JSON errors unchanged', async () => {
    const { deps, close } = createTestDeps();
    try {
      const real = createApp(deps); // the wiring ADR 0007 asks for: the UI after every API route
      serveWebUi(real, { directory: root });
      const page = await real.request('/projects/');
      expect(page.status).toBe(200);
      expect(await page.text()).toBe('<html>projects</html>');
      expect((await real.request('/api/projects')).status).toBe(401);
      const projects = await real.request('/api/projects', { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      expect(projects.status).toBe(200);
      const unknown = await real.request('/api/no-such-route', { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toContain('application/json');
      expect((await real.request('/health')).status).toBe(200);
    } finally {
      close();
    }
  });
});
