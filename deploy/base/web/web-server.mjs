// The web UI container's server (cluster mode), Node built-ins only, copied into the web image by
// apps/web/Dockerfile (tested by web-server-static.test.ts and web-server-proxy.test.ts beside it):
// - serves the UI's static export (apps/web/out) with the same rules as the API server's embedded
//   static handler (packages/api-server/src/static-web.ts): `/dir/` → `dir/index.html`, `/dir` → 308
//   `/dir/` (query kept: pages take their ids from it), unknown → 404.html with 404; `_next/static`
//   cached a year (content-hashed names), HTML `no-cache` with an ETag, other files an hour;
// - forwards `/api/*` and `/health` (HTTP, SSE streams and WebSocket upgrades) to the API server, so
//   the browser talks to one origin; a reader that leaves closes its upstream request too;
// - turns the OpenShift OAuth proxy's `X-Forwarded-Access-Token` (`--pass-access-token`) into
//   `Authorization: Bearer`, so the API server acts with the user's own Kubernetes token.
// Configuration: PORT (8080; 0 picks a free port), WEB_ROOT (/app/out), API_UPSTREAM
// (http://ambient-api:8080). `/healthz` answers the probes without asking the API server.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
// Explicit imports of what are globals in Node, so the repository's ESLint setup (no Node globals
// for plain .mjs files) checks this file too.
import { Buffer } from 'node:buffer';
import console from 'node:console';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { URL } from 'node:url';

const port = Number(process.env.PORT ?? 8080);
const root = resolve(process.env.WEB_ROOT ?? '/app/out');
const upstream = new URL(process.env.API_UPSTREAM ?? 'http://ambient-api:8080');
const upstreamClient = upstream.protocol === 'https:' ? https : http;
const TYPES = {
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
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
];

function isApiPath(path) {
  return path === '/api' || path.startsWith('/api/') || path === '/health';
}

/** The request target as a URL; undefined unless it is a path (origin-form), e.g. a proxy's absolute URL. */
function targetOf(request) {
  const raw = request.url ?? '';
  if (!raw.startsWith('/')) return undefined;
  try {
    // Prefixed rather than resolved against a base: `//host/x` stays a path here, never a host.
    return new URL(`http://web${raw}`);
  } catch {
    return undefined;
  }
}

function sendJson(response, status, body) {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
  });
  response.end(json);
}

/** The body the API server itself uses for errors ({error, message}), so clients show it as is. */
function unreachable(error) {
  return {
    error: 'bad_gateway',
    message: `the API server (${upstream.host}) is unreachable: ${error.code ?? error.message}; retry shortly`,
  };
}

/** Request headers for the API server: the user's token as a bearer token, nothing hop-by-hop. */
function upstreamHeaders(request, keepUpgrade) {
  const headers = { ...request.headers };
  for (const name of HOP_BY_HOP)
    if (!(keepUpgrade && (name === 'upgrade' || name === 'connection'))) delete headers[name];
  const forwardedToken = headers['x-forwarded-access-token'];
  delete headers['x-forwarded-access-token'];
  if (!headers.authorization && typeof forwardedToken === 'string' && forwardedToken.trim())
    headers.authorization = `Bearer ${forwardedToken.trim()}`;
  const client = request.socket.remoteAddress;
  if (client)
    headers['x-forwarded-for'] = headers['x-forwarded-for']
      ? `${headers['x-forwarded-for']}, ${client}`
      : client;
  headers['x-forwarded-host'] ??= request.headers.host;
  headers['x-forwarded-proto'] ??= 'http';
  headers.host = upstream.host;
  return headers;
}

function upstreamRequest(request, url, keepUpgrade) {
  return upstreamClient.request({
    hostname: upstream.hostname,
    port: upstream.port || (upstream.protocol === 'https:' ? 443 : 80),
    method: request.method,
    path: url.pathname + url.search,
    headers: upstreamHeaders(request, keepUpgrade),
  });
}

function proxy(request, response, url) {
  const forwarded = upstreamRequest(request, url, false);
  forwarded.on('response', (answer) => {
    const headers = { ...answer.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    response.writeHead(answer.statusCode ?? 502, headers);
    // An SSE stream's headers go out now and each chunk as it arrives: nothing here buffers.
    response.flushHeaders();
    pipeline(answer, response, () => undefined);
  });
  forwarded.on('error', (error) => {
    if (!response.headersSent) sendJson(response, 502, unreachable(error));
    else response.destroy();
  });
  // The reader left (a closed tab, an EventSource reconnecting): end the upstream request as well,
  // or the API server would go on streaming to nobody.
  response.on('close', () => {
    if (!response.writableFinished) forwarded.destroy();
  });
  request.pipe(forwarded);
}

function refuseUpgrade(socket, status, statusText, body) {
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(json)}\r\nconnection: close\r\n\r\n${json}`,
  );
}

function proxyUpgrade(request, socket, head) {
  socket.on('error', () => socket.destroy());
  const url = targetOf(request);
  if (!url || !isApiPath(url.pathname))
    return refuseUpgrade(socket, 404, 'Not Found', {
      error: 'not_found',
      message: 'WebSocket upgrades are served under /api only',
    });
  const forwarded = upstreamRequest(request, url, true);
  forwarded.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
    const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
    for (let index = 0; index < answer.rawHeaders.length; index += 2)
      lines.push(`${answer.rawHeaders[index]}: ${answer.rawHeaders[index + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upstreamHead.length) socket.write(upstreamHead);
    if (head.length) upstreamSocket.write(head);
    const close = () => {
      socket.destroy();
      upstreamSocket.destroy();
    };
    for (const side of [socket, upstreamSocket]) {
      side.on('error', close);
      side.on('close', close);
    }
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
  });
  // The API server refused the upgrade (401, 404, 429…): pass its answer on, body included.
  forwarded.on('response', (answer) => {
    const chunks = [];
    answer.on('data', (chunk) => chunks.push(chunk));
    answer.on('end', () => {
      const body = Buffer.concat(chunks);
      const type = answer.headers['content-type'] ?? 'application/octet-stream';
      const statusLine = `HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`;
      const head = `${statusLine}\r\ncontent-type: ${type}\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`;
      socket.end(Buffer.concat([Buffer.from(head), body]));
    });
  });
  forwarded.on('error', (error) => refuseUpgrade(socket, 502, 'Bad Gateway', unreachable(error)));
  forwarded.end();
}

/** The file a URL path names inside the web root, a redirect for a directory without its slash, or nothing. */
async function fileOf(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined; // malformed escape
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /%2f/i.test(urlPath)) return undefined;
  const segments = decoded.split('/').filter((segment) => segment.length > 0);
  if (segments.some((segment) => segment === '..' || segment === '.')) return undefined;
  const path = resolve(root, ...segments);
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  const info = await stat(path).catch(() => undefined);
  if (info?.isFile()) return { path, info };
  if (!info?.isDirectory()) return undefined;
  // One leading slash: `//projects/` in a Location header would name another host.
  if (!urlPath.endsWith('/')) return { redirect: `/${urlPath.replace(/^\/+/, '')}/` };
  const index = join(path, 'index.html');
  const indexInfo = await stat(index).catch(() => undefined);
  return indexInfo?.isFile() ? { path: index, info: indexInfo } : undefined;
}

function cacheControlOf(urlPath, filePath, status) {
  if (status === 404 || extname(filePath) === '.html') return 'no-cache';
  if (urlPath.startsWith('/_next/static/')) return 'public, max-age=31536000, immutable';
  return 'public, max-age=3600';
}

async function serveStatic(request, response, url) {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return response.writeHead(405, { allow: 'GET, HEAD' }).end();
  const found = await fileOf(url.pathname);
  if (found?.redirect)
    return response.writeHead(308, { location: found.redirect + url.search }).end();
  let file = found;
  const status = file ? 200 : 404;
  if (!file) {
    const path = join(root, '404.html');
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile())
      return response
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('not found');
    file = { path, info };
  }
  const headers = {
    'content-type': TYPES[extname(file.path)] ?? 'application/octet-stream',
    'cache-control': cacheControlOf(url.pathname, file.path, status),
    'x-content-type-options': 'nosniff',
  };
  if (headers['content-type'].startsWith('text/html')) {
    headers['x-frame-options'] = 'DENY';
    headers['referrer-policy'] = 'same-origin';
  }
  if (status === 200) {
    headers.etag = `W/"${file.info.size.toString(36)}-${Math.floor(file.info.mtimeMs).toString(36)}"`;
    if (request.headers['if-none-match'] === headers.etag)
      return response.writeHead(304, headers).end();
  }
  headers['content-length'] = file.info.size;
  response.writeHead(status, headers);
  if (request.method === 'HEAD') return response.end();
  pipeline(createReadStream(file.path), response, () => undefined);
}

const server = http.createServer((request, response) => {
  const url = targetOf(request);
  if (!url)
    return sendJson(response, 400, {
      error: 'bad_request',
      message: 'the request target must be a path',
    });
  if (url.pathname === '/healthz')
    return response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  if (isApiPath(url.pathname)) return proxy(request, response, url);
  serveStatic(request, response, url).catch(() => {
    if (!response.headersSent) response.writeHead(500);
    response.end();
  });
});
server.on('upgrade', proxyUpgrade);
// Streams stay open for hours; the platform's own heartbeats keep them alive.
server.requestTimeout = 0;
server.listen(port, () =>
  console.log(`web UI on :${server.address().port}, API at ${upstream.origin}, files from ${root}`),
);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    // Open streams would hold close() forever; clients reconnect and resume from their cursor.
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
