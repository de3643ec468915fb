/**
 * Where the browser test opens the UI. The platform serves it itself once `serveWebUi` is wired
 * into the API server (ADR 0007); until then this starts a same-origin stand-in: the exported
 * files through the same `serveWebUi`, and `/api` + `/health` proxied (streaming, for SSE) to the
 * platform. Either way the page and the API share one origin, as in production.
 */
import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { serveWebUi } from '@ambient/api-server/static-web';

export interface UiServer {
  url: string;
  /** True when the platform serves the UI itself (the wiring is in place). */
  servedByPlatform: boolean;
  close(): Promise<void>;
}

async function platformServesUi(platformUrl: string): Promise<boolean> {
  const response = await fetch(`${platformUrl}/projects/`);
  const text = await response.text();
  return response.ok && (response.headers.get('content-type') ?? '').includes('text/html') && text.includes('/_next/static/');
}

export async function uiServerFor(platformUrl: string, directory: string): Promise<UiServer> {
  if (await platformServesUi(platformUrl)) {
    return { url: platformUrl, servedByPlatform: true, close: async () => undefined };
  }
  const app = new Hono();
  const proxy = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.delete('host');
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const init: RequestInit & { duplex?: 'half' } = {
      method: request.method,
      headers,
      signal: request.signal,
      ...(hasBody ? { body: await request.arrayBuffer() } : {}),
    };
    const upstream = await fetch(`${platformUrl}${url.pathname}${url.search}`, init);
    const responseHeaders = new Headers(upstream.headers);
    responseHeaders.delete('content-encoding');
    responseHeaders.delete('content-length');
    return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
  };
  app.all('/api/*', (c) => proxy(c.req.raw));
  app.all('/health', (c) => proxy(c.req.raw));
  serveWebUi(app, { directory });
  const server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    servedByPlatform: false,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
