/**
 * Calling every project route of the API route registry (packages/contracts api-routes) as a given
 * user, for the authorization matrix: each route with its path filled in and a body it accepts, so
 * that a refusal is about the caller's role, never about the input.
 */
import { request } from 'node:http';
import { API_ROUTES } from '@ambient/contracts';
import type { ApiRoute } from '@ambient/contracts';

export const PROJECT_ROUTE_PREFIX = '/api/projects/{project}';

/** Every route under a project, in registry order (the WebSocket one included). */
export const PROJECT_ROUTES: readonly ApiRoute[] = API_ROUTES.filter((route) => route.path.startsWith(PROJECT_ROUTE_PREFIX));

export interface RouteTarget {
  project: string;
  session: string;
  /** A user the grant route grants (view) and the revoke route revokes. */
  grantee: string;
  /** A file the session wrote, for the workspace routes. */
  workspaceFile: string;
}

export interface RouteAnswer {
  status: number;
  /** The start of the body of a refusal (for failure messages). */
  detail: string;
}

/** A body the route accepts, by operation; undefined for routes without one. */
export function requestBody(route: ApiRoute, target: RouteTarget): string | undefined {
  const bodies: Record<string, unknown> = {
    updateProject: { displayName: 'Authorization matrix' },
    grantPermission: { subjectType: 'user', subjectName: target.grantee, role: 'view' },
    updateProjectSettings: { groupAccess: [] },
    updateRunnerSecrets: { data: { ANTHROPIC_API_KEY: 'test-key-not-real' } },
    updateIntegrationSecrets: { data: { GITHUB_TOKEN: 'test-token-not-real' } },
    createAccessKey: { name: 'automation' },
    createSession: { initialPrompt: 'Say hello' },
    updateSession: { displayName: 'renamed' },
    patchSession: { labels: { team: 'matrix' } },
    sendMessage: { message: 'hello again' },
    renameSession: { displayName: 'renamed' },
    cloneSession: { targetProject: target.project },
  };
  if (route.operationId === 'writeWorkspaceFile') return 'written by the authorization matrix\n';
  if (!route.body) return undefined;
  const body = bodies[route.operationId];
  if (body === undefined) throw new Error(`no request body for ${route.operationId}: add one to route-calls.ts`);
  return JSON.stringify(body);
}

export function routePath(route: ApiRoute, target: RouteTarget): string {
  const values: Record<string, string> = {
    project: target.project,
    session: target.session,
    subjectType: 'user',
    subjectName: target.grantee,
    keyId: 'no-such-key',
    path: target.workspaceFile,
  };
  return route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the path parameter {${name}} of ${route.operationId}`);
    // A wildcard path keeps its slashes.
    return value.split('/').map(encodeURIComponent).join('/');
  });
}

/** The answer's status; streams (SSE) are closed as soon as their headers arrive. */
export async function callRoute(baseUrl: string, token: string, route: ApiRoute, target: RouteTarget): Promise<RouteAnswer> {
  const url = `${baseUrl}${routePath(route, target)}`;
  if (route.transport === 'websocket') return upgrade(url, token);
  const controller = new AbortController();
  try {
    const body = requestBody(route, target);
    const contentType = route.body?.contentType ?? 'application/json';
    const response = await fetch(url, {
      method: route.method.toUpperCase(),
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
      body,
      signal: controller.signal,
    });
    const detail = response.ok ? '' : (await response.text()).slice(0, 300);
    return { status: response.status, detail };
  } finally {
    controller.abort();
  }
}

/** A WebSocket handshake: 101 when accepted, else the refusal's status. */
function upgrade(url: string, token: string): Promise<RouteAnswer> {
  return new Promise((resolve, reject) => {
    const handshake = request(url, {
      headers: {
        authorization: `Bearer ${token}`,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from('authorization-mx').toString('base64'),
      },
    });
    handshake.once('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, detail: '' });
    });
    handshake.once('response', (response) => {
      let detail = '';
      response.on('data', (chunk: Buffer) => (detail += chunk.toString()));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, detail: detail.slice(0, 300) }));
    });
    handshake.once('error', reject);
    handshake.end();
  });
}

export function describeRoute(route: ApiRoute): string {
  return `${route.method.toUpperCase()} ${route.path} (${route.operationId}, needs ${route.minimumRole ?? 'nothing'})`;
}
