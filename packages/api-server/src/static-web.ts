/**
 * Serves the web UI's static export (apps/web/out, ADR 0007) from the API server's own origin, so
 * the browser talks to `/api` without CORS and embedded mode stays one process.
 *
 * Mount it AFTER the API routes: it answers only GET and HEAD for paths outside `/api` and
 * `/health`, and leaves everything else to the app's JSON 404. Rules:
 *   - `/dir/` → `dir/index.html`; `/dir` (a directory) → 308 to `/dir/` (query kept), the shape
 *     Next's `trailingSlash` export expects;
 *   - unknown paths → `404.html` with status 404;
 *   - `/_next/static/*` (content-hashed names) → cached for a year, immutable; HTML → `no-cache`
 *     with an ETag, so a new build shows up at the next load; other files → an hour;
 *   - no path can leave the directory (`..`, encoded slashes, NUL are refused);
 *   - when the UI was not built, `/` explains how to build it instead of a bare 404.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Context, Env, Hono } from 'hono';

export interface ServeWebUiOptions {
  /** The export directory (`next build` with `output: 'export'`), e.g. `<repo>/apps/web/out`. */
  directory: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  // React Server Component payloads of the export; the client router fetches them on navigation.
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml',
};

export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
export const HTML_CACHE = 'no-cache';
export const ASSET_CACHE = 'public, max-age=3600';

/** Paths that belong to the API: never answered with a page, so API clients keep their JSON 404. */
function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/health';
}

export function contentTypeOf(filePath: string): string {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export function cacheControlOf(urlPath: string, filePath: string): string {
  if (urlPath.startsWith('/_next/static/')) return IMMUTABLE_CACHE;
  if (extname(filePath).toLowerCase() === '.html') return HTML_CACHE;
  return ASSET_CACHE;
}

/**
 * The file a URL path names inside `root`, or undefined when the path is not acceptable (it would
 * leave the directory, or hides a separator or NUL in an escape).
 */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined; // malformed escape
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /%2f/i.test(urlPath)) return undefined;
  const segments = decoded.split('/').filter((segment) => segment.length > 0);
  if (segments.some((segment) => segment === '..' || segment === '.')) return undefined;
  const target = resolve(root, ...segments);
  return target === root || target.startsWith(root + sep) ? target : undefined;
}

interface FoundFile {
  path: string;
  size: number;
  modifiedMs: number;
}

async function fileAt(path: string): Promise<FoundFile | 'directory' | undefined> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return 'directory';
    return info.isFile() ? { path, size: info.size, modifiedMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

function etagOf(file: FoundFile): string {
  const hash = createHash('sha1').update(`${file.path}:${file.size}:${file.modifiedMs}`).digest('base64url');
  return `"${hash.slice(0, 20)}"`;
}

async function sendFile<E extends Env>(c: Context<E>, file: FoundFile, urlPath: string, status: 200 | 404): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': contentTypeOf(file.path),
    'cache-control': status === 404 ? HTML_CACHE : cacheControlOf(urlPath, file.path),
    'x-content-type-options': 'nosniff',
  };
  if (headers['content-type']!.startsWith('text/html')) {
    headers['x-frame-options'] = 'DENY';
    headers['referrer-policy'] = 'same-origin';
  }
  if (status === 200) {
    const etag = etagOf(file);
    headers['etag'] = etag;
    if (c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers });
  }
  headers['content-length'] = String(file.size);
  const body = c.req.method === 'HEAD' ? null : await readFile(file.path);
  return new Response(body, { status, headers });
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Web UI not built</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>The web UI is not built</h1><p>The API works at <code>/api</code>. To build the UI, run
<code>npm run build -w @ambient/web</code> (or restart with <code>npm start</code>, which builds it when needed).</p></body></html>`;

export function serveWebUi<E extends Env>(app: Hono<E>, options: ServeWebUiOptions): void {
  const root = resolve(options.directory);
  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    const urlPath = c.req.path;
    if (isApiPath(urlPath)) return next();
    const target = resolveInside(root, urlPath);
    if (target === undefined) return next();

    const found = await fileAt(target);
    if (found === 'directory') {
      if (!urlPath.endsWith('/')) {
        const query = new URL(c.req.url).search;
        // One leading slash: `//projects/` (from `/.//projects`) in a Location header names another host.
        return c.redirect(`/${urlPath.replace(/^\/+/, '')}/${query}`, 308);
      }
      const index = await fileAt(join(target, 'index.html'));
      if (index && index !== 'directory') return sendFile(c, index, urlPath, 200);
    } else if (found) {
      return sendFile(c, found, urlPath, 200);
    }

    const notFoundPage = await fileAt(join(root, '404.html'));
    if (notFoundPage && notFoundPage !== 'directory') return sendFile(c, notFoundPage, urlPath, 404);
    if (urlPath === '/') {
      return c.html(NOT_BUILT_PAGE, 503, { 'cache-control': 'no-store' });
    }
    return next();
  });
}
