/**
 * Keeps the OpenAPI document complete and true:
 * (a) every route the app serves is in the registry and every registered route is served;
 * (b) the generated document is structurally sound (refs resolve, ids unique, params declared);
 * (c) real answers of the real app validate against the documented response schemas, with no
 *     field the documentation does not know about.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_COMPONENT_SCHEMAS, API_ROUTES, EventType, WILDCARD_PATH_PARAMETER } from '@ambient/contracts';
import type { ApiRoute } from '@ambient/contracts';
import { createApp } from '../app.ts';
import type { AppEnv } from '../auth/middleware.ts';
import { authenticate } from '../auth/middleware.ts';
import type { ApiDeps } from '../deps.ts';
import { createErrorHandler } from '../errors.ts';
import { projectEventRoutes } from '../routes/project-events.ts';
import { sessionHistoryRoutes } from '../routes/session-history.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from '../test-support/embedded-deps.ts';
import { buildOpenApiDocument } from './document.ts';
import { checkOpenApiDocument } from './document-checks.ts';
import { openApiRoutes } from './routes.ts';

/**
 * Documented routes that app.ts does not mount yet. ONLY for routes whose mounting is pending; the
 * test fails once one of them is served, so this list shrinks to nothing (then delete it):
 */
/** Routes documented before they were served; empty now that every documented route is mounted. */
const PENDING_ROUTES: ReadonlySet<string> = new Set<string>([]);

/** Hono's `/:name` and trailing `/*` in the registry's OpenAPI spelling. */
function openApiPath(honoPath: string): string {
  return honoPath.replace(/\/:([A-Za-z0-9_]+)/g, '/{$1}').replace(/\/\*$/, `/{${WILDCARD_PATH_PARAMETER}}`);
}

const routeKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;

function routeById(operationId: string): ApiRoute {
  const route = API_ROUTES.find((candidate) => candidate.operationId === operationId);
  if (!route) throw new Error(`no documented route has operationId ${operationId}`);
  return route;
}

/** Paths (a.b.0.c) of fields in `raw` that the schema's parse dropped: fields the docs do not know. */
function undocumentedFields(raw: unknown, parsed: unknown, path = ''): string[] {
  if (Array.isArray(raw) && Array.isArray(parsed)) {
    return raw.flatMap((item, index) => undocumentedFields(item, parsed[index], `${path}${index}.`));
  }
  if (typeof raw !== 'object' || raw === null || typeof parsed !== 'object' || parsed === null) return [];
  return Object.entries(raw).flatMap(([key, value]) =>
    key in parsed ? undocumentedFields(value, (parsed as Record<string, unknown>)[key], `${path}${key}.`) : [`${path}${key}`],
  );
}

/** Asserts the answer is a documented status whose schema accepts the body exactly; returns the body. */
async function expectDocumented(response: Response, operationId: string): Promise<unknown> {
  const documented = routeById(operationId).responses[response.status];
  if (!documented) throw new Error(`${operationId} answered ${response.status}, which is not documented: ${await response.text()}`);
  if (!documented.schema) return undefined;
  expect(response.headers.get('content-type') ?? '').toContain(documented.contentType ?? 'application/json');
  const body: unknown = await response.json();
  const parsed = documented.schema.safeParse(body);
  if (!parsed.success) throw new Error(`${operationId} ${response.status} does not match its schema: ${parsed.error.message}`);
  expect(undocumentedFields(body, parsed.data), `${operationId} ${response.status} sends undocumented fields`).toEqual([]);
  return body;
}

/** The `data` of the first frame of a Server-Sent Events response, then the stream is dropped. */
async function firstFrameData(response: Response): Promise<unknown> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before a data frame: ${text}`);
      text += value;
      const data = /^data: (.*)$/m.exec(text);
      if (data?.[1] && text.includes('\n\n', data.index)) return JSON.parse(data[1]);
    }
  } finally {
    await reader.cancel();
  }
}

describe('OpenAPI document', () => {
  let deps: ApiDeps;
  let close: () => void;
  let app: ReturnType<typeof createApp>;
  let workspaceRoot: string;

  beforeAll(() => {
    workspaceRoot = mkdtempSync(join(tmpdir(), 'openapi-test-'));
    ({ deps, close } = createTestDeps({}, { workspaceRoot }));
    app = createApp(deps);
  });

  afterAll(() => {
    close();
    rmSync(workspaceRoot, { recursive: true, force: true });
  });

  const call = (path: string, init: RequestInit & { json?: unknown } = {}, token: string | null = TEST_ADMIN_TOKEN): Promise<Response> => {
    const { json, ...rest } = init;
    return Promise.resolve(
      app.request(path, {
        ...rest,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', ...rest.headers },
      }),
    );
  };

  it('documents every route the app serves, and serves every documented route', () => {
    const served = new Set(app.routes.filter((route) => route.method !== 'ALL').map((route) => routeKey(route.method, openApiPath(route.path))));
    // WebSocket routes are upgrade handlers on the Node server, not Hono routes.
    const documented = new Set(API_ROUTES.filter((route) => route.transport !== 'websocket').map((route) => routeKey(route.method, route.path)));

    // One assertion, so a failure lists every mismatch at once.
    expect({
      servedButNotDocumentedInContractsApiRoutes: [...served].filter((key) => !documented.has(key)),
      documentedButNotServed: [...documented].filter((key) => !served.has(key) && !PENDING_ROUTES.has(key)),
      servedNowRemoveFromPendingRoutes: [...PENDING_ROUTES].filter((key) => served.has(key)),
      pendingButNotDocumented: [...PENDING_ROUTES].filter((key) => !documented.has(key)),
    }).toEqual({
      servedButNotDocumentedInContractsApiRoutes: [],
      documentedButNotServed: [],
      servedNowRemoveFromPendingRoutes: [],
      pendingButNotDocumented: [],
    });
  });

  it('builds a structurally sound OpenAPI 3.1 document', () => {
    const document = buildOpenApiDocument(API_ROUTES);
    expect(document.openapi).toBe('3.1.0');
    expect(checkOpenApiDocument(document)).toEqual([]);
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
    expect(Object.values(document.paths).flatMap((item) => Object.keys(item)).length).toBe(API_ROUTES.length);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('reports broken references, duplicate operationIds and undeclared path parameters', () => {
    const document = buildOpenApiDocument(API_ROUTES);
    const getProject = document.paths['/api/projects/{project}']?.get;
    const listProjects = document.paths['/api/projects']?.get;
    if (!getProject || !listProjects) throw new Error('the document lost the project routes');
    getProject.parameters = [];
    listProjects.operationId = 'getProject';
    listProjects.responses['200'] = { description: 'x', content: { 'application/json': { schema: { $ref: '#/components/schemas/Nowhere' } } } };
    expect(checkOpenApiDocument(document)).toEqual([
      '$ref #/components/schemas/Nowhere does not resolve',
      'GET /api/projects/{project}: path parameter {project} is not declared',
      'operationId getProject is used by GET /api/projects and GET /api/projects/{project}',
    ]);
  });

  it('names every request and response body, so each is written once in components', () => {
    const named = new Set<unknown>(Object.values(API_COMPONENT_SCHEMAS));
    const unnamed = API_ROUTES.flatMap((route) => [
      ...(route.body?.schema && !named.has(route.body.schema) ? [`${route.operationId} request`] : []),
      ...Object.entries(route.responses)
        .filter(([, response]) => response.schema && !named.has(response.schema))
        .map(([status]) => `${route.operationId} ${status}`),
    ]);
    expect(unnamed, 'add these schemas to API_COMPONENT_SCHEMAS').toEqual([]);
  });

  it('gives every authenticated route the shared error responses', () => {
    const document = buildOpenApiDocument(API_ROUTES);
    for (const [path, item] of Object.entries(document.paths)) {
      for (const operation of Object.values(item)) {
        if (operation.security.length === 0) continue;
        expect(operation.responses['401']?.content?.['application/json']?.schema, `${path} 401`).toEqual({ $ref: '#/components/schemas/ErrorBody' });
        if (operation.parameters.length > 0) {
          expect(operation.responses['400']?.content?.['application/json']?.schema, `${path} 400`).toEqual({ $ref: '#/components/schemas/ValidationErrorBody' });
        }
      }
    }
  });

  it('serves the document and a self-contained HTML reference without authentication', async () => {
    const api = new Hono<AppEnv>().route('/api', openApiRoutes());
    const json = await api.request('/api/openapi.json');
    expect(await expectDocumented(json, 'getOpenApiDocument')).toEqual(buildOpenApiDocument(API_ROUTES));
    const docs = await api.request('/api/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(docs.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await docs.text();
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html.match(/(?:src|href)="(?!#|openapi\.json")[^"]*"/g) ?? []).toEqual([]);
    for (const route of API_ROUTES) expect(html).toContain(`id="op-${route.operationId}"`);
  });

  it('answers platform, auth and user routes as documented', async () => {
    await expectDocumented(await app.request('/health'), 'getHealth');
    await expectDocumented(await call('/api/cluster-info'), 'getClusterInfo');
    await expectDocumented(await call('/api/auth/me'), 'getCurrentIdentity');
    await expectDocumented(await call('/api/users', { method: 'POST', json: { name: 'bob', password: 'a-long-password-1' } }), 'createUser');
    await expectDocumented(await call('/api/users'), 'listUsers');
    await expectDocumented(await call('/api/users/bob/tokens', { method: 'POST', json: { name: 'cli' } }), 'createUserToken');
    await expectDocumented(await call('/api/auth/login', { method: 'POST', json: { username: 'bob', password: 'a-long-password-1' } }, null), 'login');
    await expectDocumented(await call('/api/auth/login', { method: 'POST', json: { username: 'bob', password: 'wrong' } }, null), 'login');
  });

  it('answers project routes, and their errors, as documented', async () => {
    await expectDocumented(await call('/api/projects', { method: 'POST', json: { name: 'alpha', displayName: 'Alpha' } }), 'createProject');
    await expectDocumented(await call('/api/projects', { method: 'POST', json: { name: 'alpha' } }), 'createProject');
    const invalid = (await expectDocumented(await call('/api/projects', { method: 'POST', json: { name: 'Not Valid' } }), 'createProject')) as { details: unknown[] };
    expect(invalid.details.length).toBeGreaterThan(0);
    await expectDocumented(await call('/api/projects', {}, null), 'listProjects');
    await expectDocumented(await call('/api/projects'), 'listProjects');
    await expectDocumented(await call('/api/projects/missing'), 'getProject');
    await expectDocumented(await call('/api/projects/alpha', { method: 'PUT', json: { description: 'first' } }), 'updateProject');
    await expectDocumented(await call('/api/projects/alpha/access'), 'getProjectAccess');
    await expectDocumented(await call('/api/projects/alpha/permissions', { method: 'POST', json: { subjectType: 'user', subjectName: 'bob', role: 'view' } }), 'grantPermission');
    await expectDocumented(await call('/api/projects/alpha/permissions'), 'listPermissions');
    await expectDocumented(await call('/api/projects/alpha/settings'), 'getProjectSettings');
    await expectDocumented(await call('/api/projects/alpha/settings', { method: 'PUT', json: { defaultModel: 'claude' } }), 'updateProjectSettings');
    await expectDocumented(await call('/api/projects/alpha/runner-secrets', { method: 'PUT', json: { data: { ANTHROPIC_API_KEY: 'k' } } }), 'updateRunnerSecrets');
    await expectDocumented(await call('/api/projects/alpha/runner-secrets', { method: 'PUT', json: { data: { NOT_A_MODEL_KEY: 'k' } } }), 'updateRunnerSecrets');
    await expectDocumented(await call('/api/projects/alpha/integration-secrets'), 'getIntegrationSecrets');
    await expectDocumented(await call('/api/projects/alpha/keys', { method: 'POST', json: { name: 'ci' } }), 'createAccessKey');
    await expectDocumented(await call('/api/projects/alpha/keys'), 'listAccessKeys');
  });

  it('answers session and workspace routes as documented', async () => {
    await call('/api/projects', { method: 'POST', json: { name: 'beta' } });
    const base = '/api/projects/beta/agentic-sessions';
    const { name } = (await expectDocumented(await call(base, { method: 'POST', json: { prompt: 'hi', interactive: false } }), 'createSession')) as { name: string };
    await expectDocumented(await call(base), 'listSessions');
    await expectDocumented(await call(`${base}?limit=0`), 'listSessions');
    await expectDocumented(await call(`${base}/${name}`), 'getSession');
    await expectDocumented(await call(`${base}/${name}`, { method: 'PATCH', json: { labels: { team: 'a' } } }), 'patchSession');
    await expectDocumented(await call(`${base}/${name}/displayname`, { method: 'PUT', json: { displayName: 'Renamed' } }), 'renameSession');
    await expectDocumented(await call(`${base}/${name}/agui/run`, { method: 'POST', json: { message: 'more' } }), 'sendMessage');
    await expectDocumented(await call(`${base}/${name}/agui/interrupt`, { method: 'POST' }), 'interruptSession');
    await expectDocumented(await call(`${base}/${name}/stop`, { method: 'POST' }), 'stopSession');
    await expectDocumented(await call(`${base}/${name}/clone`, { method: 'POST', json: { targetProject: 'beta' } }), 'cloneSession');

    await expectDocumented(await call(`${base}/${name}/workspace/notes/a.txt`, { method: 'PUT', body: 'hello' }), 'writeWorkspaceFile');
    await expectDocumented(await call(`${base}/${name}/workspace`), 'listWorkspaceRoot');
    await expectDocumented(await call(`${base}/${name}/workspace/notes`), 'readWorkspacePath');
    const file = await call(`${base}/${name}/workspace/notes/a.txt`);
    expect(routeById('readWorkspacePath').responses[200]?.alternatives?.map((media) => media.contentType)).toContain(file.headers.get('content-type'));
    const hidden = await call(`${base}/${name}/workspace/.claude/settings.json`);
    expect(hidden.status).toBe(404);
    await expectDocumented(hidden, 'readWorkspacePath');
  });

  it('streams session events whose frames match the documented frame schema', async () => {
    await call('/api/projects', { method: 'POST', json: { name: 'gamma' } });
    const base = '/api/projects/gamma/agentic-sessions';
    const created = (await (await call(base, { method: 'POST', json: { prompt: 'hi' } })).json()) as { name: string; uid: string };
    await deps.events.append(created.uid, [{ event: { type: EventType.RUN_STARTED, threadId: created.name, runId: 'r1' } }]);
    const stream = await call(`${base}/${created.name}/agui/events?compact=false`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const frame = await firstFrameData(stream);
    expect(routeById('streamSessionEvents').responses[200]?.schema?.safeParse(frame).success).toBe(true);
  });

  it('answers the pending history, export and project event routes as documented', async () => {
    // Mounted here as app.ts will mount them, until they are (see PENDING_ROUTES).
    const pending = new Hono<AppEnv>();
    pending.onError(createErrorHandler(deps.logger));
    pending.use('*', authenticate(deps.authenticator));
    pending.route('/api/projects/:project/agentic-sessions', sessionHistoryRoutes(deps));
    pending.route('/api/projects/:project', projectEventRoutes(deps));
    const request = (path: string) => Promise.resolve(pending.request(path, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } }));

    await call('/api/projects', { method: 'POST', json: { name: 'delta' } });
    const base = '/api/projects/delta/agentic-sessions';
    const created = (await (await call(base, { method: 'POST', json: { prompt: 'hi' } })).json()) as { name: string; uid: string };
    await deps.events.append(created.uid, [{ event: { type: EventType.RUN_STARTED, threadId: created.name, runId: 'r1' } }]);
    await expectDocumented(await request(`${base}/${created.name}/agui/history`), 'getSessionHistory');
    await expectDocumented(await request(`${base}/${created.name}/export`), 'exportSession');
    await expectDocumented(await request(`${base}/${created.name}/export?format=pdf`), 'exportSession');
    const markdown = await request(`${base}/${created.name}/export?format=markdown`);
    expect(routeById('exportSession').responses[200]?.alternatives?.[0]?.contentType).toBe('text/markdown');
    expect(markdown.headers.get('content-type')).toContain('text/markdown');
    const frame = await firstFrameData(await request('/api/projects/delta/events'));
    const parsed = routeById('streamProjectEvents').responses[200]?.schema?.safeParse(frame);
    expect(parsed?.success, JSON.stringify(frame)).toBe(true);
    expect(undocumentedFields(frame, parsed?.data)).toEqual([]);
  });
});
