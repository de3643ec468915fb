/** JSON-schema vocabulary and helpers shared by the structural-schema rules. */

/** A JSON/OpenAPI schema node while it is being rewritten. */
export type JsonSchema = { [key: string]: unknown };

export const PRESERVE_UNKNOWN = 'x-kubernetes-preserve-unknown-fields';
export const INT_OR_STRING = 'x-kubernetes-int-or-string';

export type StructuralType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/** The subset of apiextensions.k8s.io/v1 JSONSchemaProps this generator emits. */
export interface StructuralSchema {
  description?: string;
  title?: string;
  type?: StructuralType;
  format?: string;
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  maximum?: number;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  required?: string[];
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema;
  items?: StructuralSchema;
  allOf?: StructuralSchema[];
  anyOf?: StructuralSchema[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'granular' | 'atomic';
  'x-kubernetes-validations'?: unknown[];
  'x-kubernetes-embedded-resource'?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/** Formats the API server validates with the same meaning zod gives them. Others are dropped
 * (e.g. zod's ISO-8601 `duration` is not Kubernetes' Go-duration `duration`). */
export const KUBERNETES_FORMATS: ReadonlySet<string> = new Set([
  'date-time',
  'date',
  'email',
  'uri',
  'uuid',
  'ipv4',
  'ipv6',
  'hostname',
  'byte',
  'password',
  'int32',
  'int64',
  'float',
  'double',
]);

/** Keywords that only constrain a value (allowed inside allOf/anyOf/oneOf of a structural schema). */
export const VALUE_VALIDATION_KEYWORDS: ReadonlySet<string> = new Set([
  'enum',
  'format',
  'pattern',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
]);

/** Kubernetes extensions that may be passed through from zod `.meta({...})`. */
export const KUBERNETES_EXTENSIONS: ReadonlySet<string> = new Set([
  PRESERVE_UNKNOWN,
  INT_OR_STRING,
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);

/** Every keyword the generator emits. `uniqueItems` is deliberately absent: apiextensions/v1
 * rejects `uniqueItems: true`. */
export const EMITTED_KEYWORDS: ReadonlySet<string> = new Set([
  'description',
  'title',
  'type',
  'format',
  'enum',
  'default',
  'nullable',
  ...VALUE_VALIDATION_KEYWORDS,
  'required',
  'properties',
  'additionalProperties',
  'items',
  'allOf',
  'anyOf',
  ...KUBERNETES_EXTENSIONS,
]);

export const STRUCTURAL_TYPES: ReadonlySet<string> = new Set([
  'object',
  'array',
  'string',
  'integer',
  'number',
  'boolean',
]);

/** Keys whose value is a map of name -> schema. */
const SCHEMA_MAP_KEYS = ['properties', 'patternProperties', 'definitions', '$defs'] as const;
/** Keys whose value is a schema (or, for items, possibly a list of schemas). */
const SCHEMA_KEYS = [
  'items',
  'additionalProperties',
  'additionalItems',
  'not',
  'propertyNames',
] as const;
/** Keys whose value is a list of schemas. */
const SCHEMA_LIST_KEYS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

export function isSchemaObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isSchemaObject(a) && isSchemaObject(b)) {
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    return (
      keysA.length === keysB.length && keysA.every((key) => key in b && deepEqual(a[key], b[key]))
    );
  }
  return false;
}

export function without(node: JsonSchema, ...keys: string[]): JsonSchema {
  const copy = { ...node };
  for (const key of keys) delete copy[key];
  return copy;
}

/** Apply `fn` to every direct sub-schema (never to data such as `default` or `enum`). */
export function mapSubschemas(node: JsonSchema, fn: (child: JsonSchema) => JsonSchema): JsonSchema {
  const out: JsonSchema = { ...node };
  for (const key of SCHEMA_MAP_KEYS) {
    const map = node[key];
    if (isSchemaObject(map)) {
      out[key] = Object.fromEntries(
        Object.entries(map).map(([name, child]) => [
          name,
          isSchemaObject(child) ? fn(child) : child,
        ]),
      );
    }
  }
  for (const key of SCHEMA_KEYS) {
    const child = node[key];
    if (isSchemaObject(child)) out[key] = fn(child);
    else if (Array.isArray(child)) out[key] = child.map((c) => (isSchemaObject(c) ? fn(c) : c));
  }
  for (const key of SCHEMA_LIST_KEYS) {
    const list = node[key];
    if (Array.isArray(list)) out[key] = list.map((c) => (isSchemaObject(c) ? fn(c) : c));
  }
  return out;
}

/** A node that accepts any value and keeps everything below it. */
export function isPreserveOnly(node: JsonSchema): boolean {
  return (
    node[PRESERVE_UNKNOWN] === true &&
    node.type === undefined &&
    node.properties === undefined &&
    node.additionalProperties === undefined &&
    node.items === undefined
  );
}

/** A node that declares nothing at all: `{}` (what zod emits for unknown/any/unrepresentable). */
export function isEmptySchema(node: JsonSchema): boolean {
  return Object.keys(node).every((key) => key === 'description' || key === 'title');
}
