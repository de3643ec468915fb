/**
 * web-server.mjs serving the static export (run as the image runs it, with the API server down,
 * which the pages must not need): pages by directory with their query, caching, the 404 page,
 * 304s, methods, its own probe, no way out of the web root, and a clean exit on SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGet, startWebServer, unreachableUrl, writeExportFixture } from './test-support.ts';
import type { WebServer } from './test-support.ts';

describe('web-server.mjs: the static export', () => {
  let workDir: string;
  let root: string;
  let web: WebServer;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'web-server-'));
    root = writeExportFixture(workDir);
    web = await startWebServer({ WEB_ROOT: root, API_UPSTREAM: await unreachableUrl() });
  });

  afterAll(async () => {
    await web?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it.each([
    ['/', '<html>home</html>'],
    ['/projects/', '<html>projects</html>'],
    ['/project/?name=p1&section=sessions', '<html>project page</html>'],
    ['/session/?project=p1&name=s1', '<html>session page</html>'],
  ])('serves %s as its page, revalidated on every load', async (path, page) => {
    const response = await fetch(`${web.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(await response.text()).toBe(page);
  });

  it('redirects a directory without its slash, keeping the query (the page reads its ids from it)', async () => {
    const response = await fetch(`${web.url}/session?project=p1&name=s1`, { redirect: 'manual' });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/session/?project=p1&name=s1');
  });

  it('never redirects to another host (`/.//projects` must not become `//projects/`)', async () => {
    const response = await rawGet(web.url, '/.//projects?x=1');
    expect(response.status).toBe(308);
    expect(response.headers.location).toBe('/projects/?x=1');
  });

  it.each([
    [
      '/_next/static/chunks/app-1234.js',
      'text/javascript; charset=utf-8',
      'public, max-age=31536000, immutable',
    ],
    ['/favicon.ico', 'image/x-icon', 'public, max-age=3600'],
    ['/project/index.txt?_rsc=abc', 'text/plain; charset=utf-8', 'public, max-age=3600'],
  ])('serves %s as %s with cache-control %s', async (path, type, cache) => {
    const response = await fetch(`${web.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('cache-control')).toBe(cache);
  });

  it('answers unknown paths with the exported 404 page and status 404', async () => {
    const response = await fetch(`${web.url}/no/such/page`);
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe('<html>not found page</html>');
  });

  it('answers a repeated load with 304 when the page did not change, and HEAD without a body', async () => {
    const first = await fetch(`${web.url}/projects/`);
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect(
      (await fetch(`${web.url}/projects/`, { headers: { 'if-none-match': etag } })).status,
    ).toBe(304);
    const head = await fetch(`${web.url}/projects/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('<html>projects</html>'.length));
    expect(await head.text()).toBe('');
  });

  it('refuses other methods outside /api', async () => {
    const response = await fetch(`${web.url}/projects/`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it.each([
    '/../secret.txt',
    '/projects/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%5csecret.txt',
    '/projects/%00',
    '/%E0%A4%A',
  ])('never serves a file outside the web root: %s', async (path) => {
    const response = await rawGet(web.url, path);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.body).not.toContain('do not serve');
  });

  it('answers its own probe without asking the API server', async () => {
    const response = await fetch(`${web.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });

  it('exits on SIGTERM', async () => {
    const extra = await startWebServer({ WEB_ROOT: root, API_UPSTREAM: await unreachableUrl() });
    await extra.stop();
    expect(extra.process.exitCode).toBe(0);
  });
});
