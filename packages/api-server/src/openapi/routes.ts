/**
 * GET /openapi.json and GET /docs, meant to be mounted under /api before the authentication
 * middleware: the API's description is public, like /health. Both are built on first use and then
 * served from memory (the routes do not change while the process runs).
 */
import { Hono } from 'hono';
import { API_ROUTES } from '@ambient/contracts';
import type { ApiRoute } from '@ambient/contracts';
import type { AppEnv } from '../auth/middleware.ts';
import { buildOpenApiDocument } from './document.ts';
import { renderReferencePage } from './html.ts';

/** The page has no scripts and loads nothing: say so to the browser too. */
const REFERENCE_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

export function openApiRoutes(routes: readonly ApiRoute[] = API_ROUTES): Hono<AppEnv> {
  let rendered: { json: string; html: string } | undefined;
  const documents = (): { json: string; html: string } => {
    if (!rendered) {
      const document = buildOpenApiDocument(routes);
      rendered = { json: JSON.stringify(document), html: renderReferencePage(document) };
    }
    return rendered;
  };

  const app = new Hono<AppEnv>();
  app.get('/openapi.json', (c) => c.body(documents().json, 200, { 'content-type': 'application/json; charset=utf-8' }));
  app.get('/docs', (c) => c.html(documents().html, 200, { 'content-security-policy': REFERENCE_PAGE_POLICY }));
  return app;
}
