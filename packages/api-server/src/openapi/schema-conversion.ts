/**
 * zod contracts -> JSON Schema 2020-12, the schema dialect of OpenAPI 3.1.
 *
 * zod's own converter does the work (like crds/crd-schema.ts does for the CRDs, but without the
 * Kubernetes "structural" rewriting, which would inline every reference and loosen validations a
 * 3.1 document can express as they are). Named schemas become components: they are registered in
 * a private zod registry, so every use of the same schema instance, however deeply nested, turns
 * into one `$ref`. The contracts' global registry is never touched (the CRD generator reads it).
 *
 * Requests are converted with zod's *input* type (fields with defaults are optional) and responses
 * with its *output* type (they are always present). A component whose two readings differ gets a
 * second component, `<Name>Input`, used by request bodies.
 */
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;
export type SchemaDirection = 'input' | 'output';

export const COMPONENT_REF_PREFIX = '#/components/schemas/';
/** Registry ids of schemas that are not named components; they are inlined where used. */
const INLINE_ID_PREFIX = '__inline';

export function isJsonObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Applies `visit` to every object node of a JSON value, depth first, returning a rewritten copy. */
export function mapJsonObjects(value: unknown, visit: (node: JsonSchema) => JsonSchema): unknown {
  if (Array.isArray(value)) return value.map((item) => mapJsonObjects(item, visit));
  if (!isJsonObject(value)) return value;
  const copy: JsonSchema = {};
  for (const [key, child] of Object.entries(value)) copy[key] = mapJsonObjects(child, visit);
  return visit(copy);
}

/** Every `$ref` string in a JSON value. */
export function referencesIn(value: unknown): string[] {
  const found: string[] = [];
  mapJsonObjects(value, (node) => {
    if (typeof node.$ref === 'string') found.push(node.$ref);
    return node;
  });
  return found;
}

/**
 * Per-node clean-up while zod converts:
 * - a plain `z.object` strips unknown keys rather than rejecting them, but zod's *output* reading
 *   says `additionalProperties: false`; clients must tolerate fields a newer server adds, so only
 *   `z.strictObject` keeps it;
 * - `.int()` adds ±Number.MAX_SAFE_INTEGER bounds that are not a real constraint of the API.
 */
function cleanNode(context: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void {
  const definition = context.zodSchema._zod.def as { type: string; catchall?: unknown };
  const json = context.jsonSchema;
  if (definition.type === 'object' && definition.catchall === undefined && json.additionalProperties === false) {
    delete json.additionalProperties;
  }
  if (json.minimum === Number.MIN_SAFE_INTEGER) delete json.minimum;
  if (json.maximum === Number.MAX_SAFE_INTEGER) delete json.maximum;
}

function convertRegistry(registry: z.core.$ZodRegistry<{ id: string }>, io: SchemaDirection): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    uri: (id) => `${COMPONENT_REF_PREFIX}${id}`,
    // A z.custom or a transform has no JSON form: document it as "any value" rather than fail.
    unrepresentable: 'any',
    cycles: 'ref',
    reused: 'inline',
    override: (context) => cleanNode({ zodSchema: context.zodSchema, jsonSchema: context.jsonSchema as JsonSchema }),
  });
  if ('__shared' in schemas) {
    throw new Error('openapi: zod extracted shared definitions (a recursive schema?); name the schema in API_COMPONENT_SCHEMAS');
  }
  const converted: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
    converted[id] = rest;
  }
  return converted;
}

/** Ids whose input reading differs from the output one, directly or through a schema they reference. */
function directionDependentIds(input: Record<string, JsonSchema>, output: Record<string, JsonSchema>): Set<string> {
  const differing = new Set(Object.keys(input).filter((id) => JSON.stringify(input[id]) !== JSON.stringify(output[id])));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [id, schema] of Object.entries(input)) {
      if (differing.has(id)) continue;
      if (referencesIn(schema).some((ref) => differing.has(ref.slice(COMPONENT_REF_PREFIX.length)))) {
        differing.add(id);
        grew = true;
      }
    }
  }
  return differing;
}

export interface SchemaCatalog {
  /** The named components, `<Name>Input` variants included. */
  components: Record<string, JsonSchema>;
  /** `<Name>Input` -> `<Name>` for every input variant. */
  inputVariants: Map<string, string>;
  /** A `$ref` for a named schema, the schema itself otherwise. */
  reference(schema: z.ZodType, io: SchemaDirection): JsonSchema;
  /** Always the schema itself (parameters are split into one entry per property). */
  expand(schema: z.ZodType, io: SchemaDirection): JsonSchema;
}

/**
 * Converts the named schemas and every schema the routes use, in one pass per direction so that
 * references between them resolve to the same components.
 */
export function buildSchemaCatalog(named: Readonly<Record<string, z.ZodType>>, used: Iterable<z.ZodType>): SchemaCatalog {
  const registry = z.registry<{ id: string }>();
  const idOf = new Map<z.ZodType, string>();
  for (const [name, schema] of Object.entries(named)) {
    const existing = idOf.get(schema);
    if (existing) throw new Error(`openapi: one schema is named twice: ${existing} and ${name}`);
    registry.add(schema, { id: name });
    idOf.set(schema, name);
  }
  for (const schema of used) {
    if (idOf.has(schema)) continue;
    const id = `${INLINE_ID_PREFIX}${idOf.size}`;
    registry.add(schema, { id });
    idOf.set(schema, id);
  }

  const output = convertRegistry(registry, 'output');
  const rawInput = convertRegistry(registry, 'input');
  const differing = directionDependentIds(rawInput, output);
  const nameFor = (id: string, io: SchemaDirection): string => (io === 'input' && differing.has(id) ? `${id}Input` : id);
  const input: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(rawInput)) {
    input[id] = mapJsonObjects(schema, (node) => {
      if (typeof node.$ref !== 'string' || !node.$ref.startsWith(COMPONENT_REF_PREFIX)) return node;
      return { ...node, $ref: COMPONENT_REF_PREFIX + nameFor(node.$ref.slice(COMPONENT_REF_PREFIX.length), 'input') };
    }) as JsonSchema;
  }

  const components: Record<string, JsonSchema> = {};
  const inputVariants = new Map<string, string>();
  for (const id of Object.keys(named)) {
    components[id] = output[id] ?? {};
    if (differing.has(id)) {
      if (`${id}Input` in named) throw new Error(`openapi: ${id}Input would clash with a named schema`);
      components[`${id}Input`] = input[id] ?? {};
      inputVariants.set(`${id}Input`, id);
    }
  }
  const dangling = referencesIn([components, input, output]).filter((ref) => ref.startsWith(COMPONENT_REF_PREFIX + INLINE_ID_PREFIX));
  if (dangling.length > 0) {
    throw new Error('openapi: a schema used by a route is also nested in another one; name it in API_COMPONENT_SCHEMAS');
  }

  const lookup = (schema: z.ZodType): string => {
    const id = idOf.get(schema);
    if (id === undefined) throw new Error('openapi: a schema was not declared to the catalog');
    return id;
  };
  const expand = (schema: z.ZodType, io: SchemaDirection): JsonSchema => {
    const id = lookup(schema);
    // A fresh copy each time: callers take schemas apart and must not change the catalog.
    return structuredClone((io === 'input' ? input : output)[id] ?? {});
  };
  return {
    components,
    inputVariants,
    expand,
    reference: (schema, io) => {
      const id = lookup(schema);
      return id.startsWith(INLINE_ID_PREFIX) ? expand(schema, io) : { $ref: COMPONENT_REF_PREFIX + nameFor(id, io) };
    },
  };
}
