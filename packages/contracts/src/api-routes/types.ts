/**
 * The shape of the HTTP route registry (api-routes.ts). Each route is plain data over the zod
 * contracts, so the OpenAPI document, the HTML reference and the completeness test all read the same
 * declaration, and a schema is written once.
 */
import type { z } from 'zod';
import { errorBodySchema } from '../api.ts';
import { validationErrorBodySchema } from './schemas.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type RouteAuthentication = 'bearer' | 'none';
export type MinimumRole = 'view' | 'edit' | 'admin';
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 429 | 503;

/** One media type of a request or response body. */
export interface ApiMediaType {
  contentType: string;
  /** Absent for opaque bodies (bytes, HTML). */
  schema?: z.ZodType;
}

export interface ApiResponse {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
  /** Further media types of the same status: a workspace GET returns JSON for a directory, bytes for a file. */
  alternatives?: readonly ApiMediaType[];
}

export interface ApiRequestBody {
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
  description?: string;
}

export interface ApiRoute {
  method: HttpMethod;
  /** OpenAPI style: `/api/projects/{project}`; parameter names are the Hono `:names`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  auth: RouteAuthentication;
  /** The project role the caller needs; callers with no role in the project get 404, not 403. */
  minimumRole?: MinimumRole;
  /** Platform administrators only (user management). */
  platformAdminOnly?: boolean;
  /**
   * `websocket`: served by an HTTP upgrade handler on the Node server, not by a Hono route, so the
   * served-routes comparison skips it; it is documented as a GET that answers 101.
   */
  transport?: 'http' | 'websocket';
  /** WebSocket only: the messages the client sends after the upgrade (the 101 response's schema is the server's). */
  clientMessages?: z.ZodType;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: ApiRequestBody;
  /** Every status the route answers with, success and error alike. */
  responses: Readonly<Record<number, ApiResponse>>;
}

/** What a route file declares: its success responses and the errors its shape does not imply. */
export interface RouteDeclaration extends Omit<ApiRoute, 'responses'> {
  responses: Readonly<Record<number, ApiResponse>>;
  /**
   * Extra error statuses with why they happen (e.g. 409 when the session is running). The reason
   * replaces the standard cause: say both when both apply.
   */
  errors?: Partial<Record<ErrorStatus, string>>;
  /** Implied errors the route cannot return (the runner channel has no failure limiter, no body limit). */
  omitErrors?: readonly ErrorStatus[];
}

/** The 1 MiB request limit of the API (api-server deps.ts MAX_BODY_BYTES); repeated here for the docs. */
export const DOCUMENTED_BODY_LIMIT = '1 MiB';

/** Each standard error: its title (with the `error` code of the body) and its usual cause. */
export const STANDARD_ERRORS: Readonly<Record<ErrorStatus, { title: string; cause: string }>> = {
  400: { title: 'Invalid request (bad_request).', cause: 'A parameter or the body breaks its schema: `details` lists each problem as {path, message}.' },
  401: { title: 'Unauthorized (unauthorized).', cause: 'The bearer token is missing, invalid or expired.' },
  403: { title: 'Forbidden (forbidden).', cause: 'The caller’s role does not allow this.' },
  404: { title: 'Not found (not_found).', cause: 'A project the caller has no role in is reported as not found too, so names do not leak.' },
  409: { title: 'Conflict (conflict).', cause: 'The request conflicts with the current state.' },
  410: { title: 'Gone (gone).', cause: 'The resource no longer exists.' },
  413: { title: 'Payload too large (payload_too_large).', cause: `The request body exceeds ${DOCUMENTED_BODY_LIMIT}.` },
  429: { title: 'Too many requests (too_many_requests).', cause: 'Too many failed authentications from this client; retry later.' },
  503: { title: 'Unavailable (unavailable).', cause: 'Not available in this deployment mode yet.' },
};

/** The errors a route can return because of its shape: what it validates, who may call it. */
function impliedErrors(route: RouteDeclaration): ErrorStatus[] {
  const statuses: ErrorStatus[] = [];
  const validatesInput = route.params ?? route.query ?? route.headers ?? route.body;
  if (validatesInput) statuses.push(400);
  if (route.auth === 'bearer') statuses.push(401);
  if (route.platformAdminOnly || route.minimumRole === 'edit' || route.minimumRole === 'admin') statuses.push(403);
  // Any path parameter names something that may not exist (or that the caller may not see).
  if (route.params) statuses.push(404);
  if (route.body) statuses.push(413);
  // The failure limiter runs before the token check on every authenticated request.
  if (route.auth === 'bearer') statuses.push(429);
  return statuses;
}

/** Completes a declaration with its error responses, all with the shared error body. */
export function defineRoute(declaration: RouteDeclaration): ApiRoute {
  const { errors = {}, omitErrors = [], responses, ...route } = declaration;
  const statuses = new Set<ErrorStatus>([...impliedErrors(declaration), ...(Object.keys(errors).map(Number) as ErrorStatus[])]);
  for (const status of omitErrors) statuses.delete(status);
  const errorResponses: Record<number, ApiResponse> = {};
  for (const status of [...statuses].sort((a, b) => a - b)) {
    const specific = errors[status];
    errorResponses[status] = {
      description: `${STANDARD_ERRORS[status].title} ${specific ?? STANDARD_ERRORS[status].cause}`,
      schema: status === 400 ? validationErrorBodySchema : errorBodySchema,
    };
  }
  return { ...route, responses: { ...responses, ...errorResponses } };
}
