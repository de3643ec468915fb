// The web UI container's server (cluster mode), Node built-ins only, copied into the web image by
// apps/web/Dockerfile:
// - serves the UI's static export (apps/web/out) with the same rules as the API server's embedded
//   static handler: `/dir/` → `dir/index.html`, `/dir` → 308 `/dir/`, unknown → 404.html;
// - forwards `/api/*` and `/health` (HTTP, SSE streams and WebSocket upgrades) to the API server, so
//   the browser talks to one origin;
// - turns the OpenShift OAuth proxy's `X-Forwarded-Access-Token` (`--pass-access-token`) into
//   `Authorization: Bearer`, so the API server acts with the user's own Kubernetes token.
// Configuration: PORT (8080), WEB_ROOT (/app/out), API_UPSTREAM (http://ambient-api:8080).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
// Explicit imports of what are globals in Node, so the repository's ESLint setup (no Node globals
// for plain .mjs files) checks this file too.
import console from 'node:console';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { URL } from 'node:url';
import { extname, join, resolve, sep } from 'node:path';

const port = Number(process.env.PORT ?? 8080);
const root = resolve(process.env.WEB_ROOT ?? '/app/out');
const upstream = new URL(process.env.API_UPSTREAM ?? 'http://ambient-api:8080');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
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

/** Request headers for the API server: the user's token as a bearer token, nothing hop-by-hop. */
function upstreamHeaders(request, keepUpgrade) {
  const headers = { ...request.headers };
  for (const name of HOP_BY_HOP)
    if (!(keepUpgrade && (name === 'upgrade' || name === 'connection'))) delete headers[name];
  const forwardedToken = headers['x-forwarded-access-token'];
  delete headers['x-forwarded-access-token'];
  if (!headers.authorization && typeof forwardedToken === 'string' && forwardedToken)
    headers.authorization = `Bearer ${forwardedToken}`;
  headers.host = upstream.host;
  return headers;
}

function proxy(request, response) {
  const forwarded = http.request(
    {
      hostname: upstream.hostname,
      port: upstream.port || 80,
      method: request.method,
      path: request.url,
      headers: upstreamHeaders(request, false),
    },
    (answer) => {
      const headers = { ...answer.headers };
      for (const name of HOP_BY_HOP) delete headers[name];
      response.writeHead(answer.statusCode ?? 502, headers);
      // Streams (SSE) flow through as they come: no buffering here.
      answer.pipe(response);
    },
  );
  forwarded.on('error', () => {
    if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: 'the API server is unreachable' }));
  });
  request.pipe(forwarded);
}

function proxyUpgrade(request, socket, head) {
  if (!isApiPath(new URL(request.url ?? '/', 'http://web').pathname)) return socket.destroy();
  const forwarded = http.request({
    hostname: upstream.hostname,
    port: upstream.port || 80,
    method: request.method,
    path: request.url,
    headers: upstreamHeaders(request, true),
  });
  forwarded.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
    const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
    for (let index = 0; index < answer.rawHeaders.length; index += 2)
      lines.push(`${answer.rawHeaders[index]}: ${answer.rawHeaders[index + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upstreamHead.length) socket.write(upstreamHead);
    if (head.length) upstreamSocket.write(head);
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
    const close = () => {
      socket.destroy();
      upstreamSocket.destroy();
    };
    socket.on('error', close);
    upstreamSocket.on('error', close);
  });
  forwarded.on('response', (answer) => {
    socket.end(
      `HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\nconnection: close\r\n\r\n`,
    );
  });
  forwarded.on('error', () => socket.destroy());
  forwarded.end();
}

async function fileOf(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /%2f/i.test(urlPath)) return undefined;
  const path = resolve(root, `.${decoded}`);
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  const info = await stat(path).catch(() => undefined);
  if (info?.isFile()) return { path };
  if (info?.isDirectory())
    return decoded.endsWith('/') ? fileOf(`${urlPath}index.html`) : { redirect: `${urlPath}/` };
  return undefined;
}

async function serveStatic(request, response) {
  if (request.method !== 'GET' && request.method !== 'HEAD') return response.writeHead(405).end();
  const url = new URL(request.url ?? '/', 'http://web');
  const found = await fileOf(url.pathname);
  if (found?.redirect)
    return response.writeHead(308, { location: found.redirect + url.search }).end();
  const path = found?.path ?? join(root, '404.html');
  const status = found ? 200 : 404;
  const cache = url.pathname.startsWith('/_next/static/')
    ? 'public, max-age=31536000, immutable'
    : extname(path) === '.html'
      ? 'no-cache'
      : 'public, max-age=3600';
  const exists = await stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!exists) return response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  response.writeHead(status, {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'cache-control': cache,
    'x-content-type-options': 'nosniff',
  });
  if (request.method === 'HEAD') return response.end();
  createReadStream(path).pipe(response);
}

const server = http.createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://web').pathname;
  if (path === '/healthz')
    return response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  if (isApiPath(path)) return proxy(request, response);
  serveStatic(request, response).catch(() => response.writeHead(500).end());
});
server.on('upgrade', proxyUpgrade);
// Streams stay open for hours; the platform's own heartbeats keep them alive.
server.requestTimeout = 0;
server.listen(port, () =>
  console.log(`web UI on :${port}, API at ${upstream.origin}, files from ${root}`),
);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    // Open streams would hold close() forever; clients reconnect and resume from their cursor.
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
