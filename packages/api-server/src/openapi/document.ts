/**
 * The OpenAPI 3.1 document of the API, built from the route registry in @ambient/contracts.
 *
 * 3.1 rather than 3.0 because its schema dialect is JSON Schema 2020-12, which is what zod emits
 * natively: `const`, numeric `exclusiveMinimum`, type unions with "null" all stay as zod wrote them,
 * with no lossy translation to 3.0's `nullable`/boolean-exclusive forms.
 */
import { API_COMPONENT_SCHEMAS, API_ROUTES, API_TAGS, API_VERSION } from '@ambient/contracts';
import type { ApiMediaType, ApiRoute } from '@ambient/contracts';
import type { z } from 'zod';
import { buildSchemaCatalog, COMPONENT_REF_PREFIX, isJsonObject, mapJsonObjects, referencesIn } from './schema-conversion.ts';
import type { JsonSchema, SchemaCatalog, SchemaDirection } from './schema-conversion.ts';

export const OPENAPI_VERSION = '3.1.0';
export const BEARER_SCHEME = 'bearer';

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface MediaTypeObject {
  schema?: JsonSchema;
}

export interface ResponseObject {
  description: string;
  content?: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters: ParameterObject[];
  requestBody?: { required: boolean; description?: string; content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject>;
  /** The project role the caller needs (view < edit < admin). */
  'x-minimum-role'?: string;
  'x-platform-admin-only'?: boolean;
  /** Served by an HTTP upgrade: the 101 response's schema is what the server sends. */
  'x-websocket'?: boolean;
  'x-websocket-client-messages'?: JsonSchema;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  tags: { name: string; description: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, OperationObject>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; description: string }>;
  };
}

export interface OpenApiOptions {
  title?: string;
  version?: string;
  tags?: readonly { name: string; description: string }[];
  componentSchemas?: Readonly<Record<string, z.ZodType>>;
}

const JSON_TYPE = 'application/json';

const DOCUMENT_DESCRIPTION = [
  'Run Claude Code agent sessions on shared infrastructure. Generated from the zod contracts in @ambient/contracts.',
  'Authenticate with `Authorization: Bearer <token>` (a user token, a login token or a project access key).',
  'Every error is JSON `{error, message, details?}`. Lists are `{items}`; paginated lists add `totalCount` and an opaque',
  '`continue` cursor. Streams resume exactly from the `id:` of the last frame received (Last-Event-ID or a query cursor).',
].join('\n\n');

/** Every schema a route refers to, with the direction it is read in. */
function schemasOf(route: ApiRoute): z.ZodType[] {
  const media = Object.values(route.responses).flatMap((response) => [response, ...(response.alternatives ?? [])]);
  return [route.params, route.query, route.headers, route.body?.schema, route.clientMessages, ...media.map((item) => item.schema)].filter(
    (schema): schema is z.ZodType => schema !== undefined,
  );
}

function parametersOf(schema: z.ZodObject | undefined, location: ParameterObject['in'], catalog: SchemaCatalog): ParameterObject[] {
  if (!schema) return [];
  const object = catalog.expand(schema, 'input');
  const properties = isJsonObject(object.properties) ? object.properties : {};
  const required = new Set(Array.isArray(object.required) ? object.required : []);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = isJsonObject(property) ? property : {};
    return {
      name,
      in: location,
      // Path parameters are always required in OpenAPI.
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function contentOf(media: ApiMediaType[], io: SchemaDirection, catalog: SchemaCatalog): Record<string, MediaTypeObject> {
  const content: Record<string, MediaTypeObject> = {};
  for (const item of media) content[item.contentType] = item.schema ? { schema: catalog.reference(item.schema, io) } : {};
  return content;
}

/** Who may call, in the description too: generic OpenAPI viewers do not show x- extensions. */
function accessSentence(route: ApiRoute): string {
  if (route.auth === 'none') return 'Access: public, no token needed.';
  if (route.platformAdminOnly) return 'Access: bearer token of a platform administrator.';
  if (route.minimumRole === 'admin') return 'Access: bearer token with the admin role in the project.';
  if (route.minimumRole) return `Access: bearer token with the ${route.minimumRole} role (or higher) in the project.`;
  return 'Access: any valid bearer token.';
}

function operationOf(route: ApiRoute, catalog: SchemaCatalog): OperationObject {
  const responses: Record<string, ResponseObject> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const media: ApiMediaType[] = [];
    if (response.schema || response.contentType) {
      media.push({ contentType: response.contentType ?? JSON_TYPE, ...(response.schema ? { schema: response.schema } : {}) });
    }
    media.push(...(response.alternatives ?? []));
    responses[status] = { description: response.description, ...(media.length > 0 ? { content: contentOf(media, 'output', catalog) } : {}) };
  }
  const operation: OperationObject = {
    operationId: route.operationId,
    summary: route.summary,
    description: [route.description, accessSentence(route)].filter(Boolean).join('\n\n'),
    tags: [...route.tags],
    security: route.auth === 'none' ? [] : [{ [BEARER_SCHEME]: [] }],
    parameters: [
      ...parametersOf(route.params, 'path', catalog),
      ...parametersOf(route.query, 'query', catalog),
      ...parametersOf(route.headers, 'header', catalog),
    ],
    responses,
  };
  if (route.body) {
    const media = [{ contentType: route.body.contentType ?? JSON_TYPE, ...(route.body.schema ? { schema: route.body.schema } : {}) }];
    operation.requestBody = {
      required: true,
      ...(route.body.description ? { description: route.body.description } : {}),
      content: contentOf(media, 'input', catalog),
    };
  }
  if (route.minimumRole) operation['x-minimum-role'] = route.minimumRole;
  if (route.platformAdminOnly) operation['x-platform-admin-only'] = true;
  if (route.transport === 'websocket') operation['x-websocket'] = true;
  if (route.clientMessages) operation['x-websocket-client-messages'] = catalog.reference(route.clientMessages, 'input');
  return operation;
}

/** The component names the operations reach, directly or through other components. */
function reachableNames(paths: OpenApiDocument['paths'], all: Record<string, JsonSchema>): Set<string> {
  const reached = new Set<string>();
  const pending = referencesIn(paths);
  for (let ref = pending.pop(); ref !== undefined; ref = pending.pop()) {
    const name = ref.slice(COMPONENT_REF_PREFIX.length);
    if (reached.has(name) || !(name in all)) continue;
    reached.add(name);
    pending.push(...referencesIn(all[name]));
  }
  return reached;
}

function renameReferences<T>(value: T, renames: Map<string, string>): T {
  return mapJsonObjects(value, (node) => {
    const target = typeof node.$ref === 'string' ? renames.get(node.$ref.slice(COMPONENT_REF_PREFIX.length)) : undefined;
    return target ? { ...node, $ref: COMPONENT_REF_PREFIX + target } : node;
  }) as T;
}

/**
 * Keeps only the components the operations reach, and gives an input variant its plain name when
 * the output reading is not used (a request-only schema needs no `Input` suffix).
 */
function finishComponents(paths: OpenApiDocument['paths'], catalog: SchemaCatalog): { paths: OpenApiDocument['paths']; schemas: Record<string, JsonSchema> } {
  const reached = reachableNames(paths, catalog.components);
  const renames = new Map([...catalog.inputVariants].filter(([variant, base]) => reached.has(variant) && !reached.has(base)));
  const schemas: Record<string, JsonSchema> = {};
  for (const name of [...reached].map((name) => renames.get(name) ?? name).sort()) {
    const source = [...renames].find(([, base]) => base === name)?.[0] ?? name;
    schemas[name] = renameReferences(catalog.components[source] ?? {}, renames);
  }
  return { paths: renameReferences(paths, renames), schemas };
}

export function buildOpenApiDocument(routes: readonly ApiRoute[] = API_ROUTES, options: OpenApiOptions = {}): OpenApiDocument {
  const catalog = buildSchemaCatalog(options.componentSchemas ?? API_COMPONENT_SCHEMAS, routes.flatMap(schemasOf));
  const operations: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const item = (operations[route.path] ??= {});
    if (item[route.method]) throw new Error(`openapi: ${route.method.toUpperCase()} ${route.path} is declared twice`);
    item[route.method] = operationOf(route, catalog);
  }
  const { paths, schemas } = finishComponents(operations, catalog);
  return {
    openapi: OPENAPI_VERSION,
    info: { title: options.title ?? 'Ambient Code Platform API', version: options.version ?? API_VERSION, description: DOCUMENT_DESCRIPTION },
    tags: (options.tags ?? API_TAGS).map((tag) => ({ ...tag })),
    security: [{ [BEARER_SCHEME]: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        [BEARER_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          description: 'A user token (POST /api/users/{user}/tokens), a login token (POST /api/auth/login) or a project access key.',
        },
      },
    },
  };
}
