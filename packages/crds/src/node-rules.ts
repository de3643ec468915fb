/**
 * Step 3 of the structural-schema pipeline (crd-schema.ts): small pure rules, each taking a node
 * whose children are already normalised, that turn OpenAPI 3.0 into what Kubernetes accepts as
 * structural. Each keeps the invariant: a value zod accepts is neither pruned nor rejected; where
 * Kubernetes cannot express a construct, the rule loosens (drops a validation or preserves unknown
 * fields), never tightens.
 */
import {
  EMITTED_KEYWORDS,
  INT_OR_STRING,
  isEmptySchema,
  isPreserveOnly,
  isSchemaObject,
  KUBERNETES_FORMATS,
  mapSubschemas,
  PRESERVE_UNKNOWN,
  STRUCTURAL_TYPES,
  without,
  type JsonSchema,
  type StructuralType,
} from './json-schema.ts';
import { toRe2Pattern } from './re2.ts';
import {
  mergeAllOf,
  mergeBranches,
  mergeUnion,
  normalizeNullableUnion,
  stripToValueValidations,
} from './schema-merge.ts';

/** `type: "null"` / `type: [T, "null"]` (draft-style, and zod's `z.literal(null)` even in
 * openapi-3.0) -> OpenAPI `nullable: true`. Several non-null types become an anyOf for
 * {@link mergeUnion}. */
export function normalizeTypeKeyword(node: JsonSchema): JsonSchema {
  const type = node.type;
  if (type === 'null') return { ...without(node, 'type'), nullable: true };
  if (!Array.isArray(type)) return node;
  const nonNull = type.filter((t) => t !== 'null');
  const nullable = nonNull.length !== type.length ? { nullable: true } : {};
  if (nonNull.length === 0) return { ...without(node, 'type'), ...nullable };
  if (nonNull.length === 1) return { ...without(node, 'type'), type: nonNull[0], ...nullable };
  return { ...without(node, 'type'), anyOf: nonNull.map((t) => ({ type: t })), ...nullable };
}

/** `const: x` -> `enum: [x]`. */
export function constToEnum(node: JsonSchema): JsonSchema {
  if (!('const' in node)) return node;
  return { ...without(node, 'const'), enum: [node.const] };
}

/** Draft-6+ numeric `exclusiveMinimum: n` -> OpenAPI 3.0 `minimum: n, exclusiveMinimum: true`. */
export function normalizeExclusiveBounds(node: JsonSchema): JsonSchema {
  let out = node;
  if (typeof node.exclusiveMinimum === 'number') {
    out = { ...out, minimum: node.exclusiveMinimum, exclusiveMinimum: true };
  }
  if (typeof node.exclusiveMaximum === 'number') {
    out = { ...out, maximum: node.exclusiveMaximum, exclusiveMaximum: true };
  }
  return out;
}

/** zod adds ±Number.MAX_SAFE_INTEGER to every `.int()`; they are not a real constraint. */
export function dropSafeIntegerBounds(node: JsonSchema): JsonSchema {
  let out = node;
  if (node.minimum === Number.MIN_SAFE_INTEGER) out = without(out, 'minimum', 'exclusiveMinimum');
  if (node.maximum === Number.MAX_SAFE_INTEGER) out = without(out, 'maximum', 'exclusiveMaximum');
  return out;
}

/** `z.never()` is `{not: {}}`: such a property can never be present, so it is not declared.
 * Runs top-down, before the children are normalised (which would turn `{not: {}}` into `{}`). */
export function dropNeverProperties(node: JsonSchema): JsonSchema {
  const properties = node.properties;
  if (!isSchemaObject(properties)) return node;
  const never = Object.entries(properties)
    .filter(
      ([, child]) => isSchemaObject(child) && isSchemaObject(child.not) && isEmptySchema(child.not),
    )
    .map(([name]) => name);
  if (never.length === 0) return node;
  const out: JsonSchema = { ...node, properties: without(properties, ...never) };
  if (Array.isArray(node.required))
    out.required = node.required.filter((name) => !never.includes(name as string));
  return out;
}

/** Any other `not` is dropped: a lost validation, never a pruned field. */
export function dropNot(node: JsonSchema): JsonSchema {
  return 'not' in node ? without(node, 'not') : node;
}

/**
 * Objects, the Kubernetes way:
 * - `additionalProperties: false` (z.strictObject) is removed: the server rejects it next to
 *   properties, and prunes undeclared fields anyway;
 * - `additionalProperties: {}` / `true` / preserve-only (records of unknown, `.loose()`) ->
 *   `type: object` + `x-kubernetes-preserve-unknown-fields: true`;
 * - properties *and* a typed additionalProperties (`.catchall(T)`) cannot coexist -> keep the
 *   properties and preserve the rest;
 * - `patternProperties` (z.looseRecord with a key regex) -> preserve unknown fields;
 * - `propertyNames` (record key schema) is not supported -> dropped.
 */
export function normalizeObjectShape(node: JsonSchema): JsonSchema {
  let out = without(node, 'propertyNames');
  if (out.patternProperties !== undefined) {
    out = { ...without(out, 'patternProperties'), type: 'object', [PRESERVE_UNKNOWN]: true };
  }
  const additional = out.additionalProperties;
  if (additional === false) out = without(out, 'additionalProperties');
  else if (
    additional === true ||
    (isSchemaObject(additional) && (isEmptySchema(additional) || isPreserveOnly(additional)))
  ) {
    out = { ...without(out, 'additionalProperties'), type: 'object', [PRESERVE_UNKNOWN]: true };
  } else if (isSchemaObject(additional) && isSchemaObject(out.properties)) {
    if (Object.keys(out.properties).length > 0) {
      out = { ...without(out, 'additionalProperties'), [PRESERVE_UNKNOWN]: true };
    } else {
      out = without(out, 'properties');
    }
  }
  if (
    out.type === undefined &&
    (out.properties !== undefined || out.additionalProperties !== undefined)
  ) {
    out = { ...out, type: 'object' };
  }
  if (out.type === undefined && out.items !== undefined) out = { ...out, type: 'array' };
  return out;
}

/** OpenAPI/structural `items` is one schema: a tuple's list (draft style) is merged. */
export function normalizeItems(node: JsonSchema): JsonSchema {
  let out = without(node, 'prefixItems', 'additionalItems');
  const tuple = Array.isArray(node.prefixItems)
    ? node.prefixItems
    : Array.isArray(node.items)
      ? node.items
      : undefined;
  if (tuple) {
    const branches = [...tuple, ...(isSchemaObject(node.items) ? [node.items] : [])].filter(
      isSchemaObject,
    );
    out = { ...out, items: mergeBranches(branches) };
  }
  if (out.type === 'array' && out.items === undefined)
    out = { ...out, items: { [PRESERVE_UNKNOWN]: true } };
  return out;
}

function inferTypeFromEnum(values: unknown[]): StructuralType | undefined {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return undefined;
  if (present.every((v) => typeof v === 'string')) return 'string';
  if (present.every((v) => typeof v === 'boolean')) return 'boolean';
  if (present.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'integer';
  if (present.every((v) => typeof v === 'number')) return 'number';
  return undefined;
}

/**
 * Every structural node needs a `type`. A node without one (zod's `{}` for unknown/any/
 * unrepresentable, a mixed enum) gets a type inferred from its enum, or else
 * `x-kubernetes-preserve-unknown-fields: true` (and no type, so any JSON value is accepted).
 */
export function ensureType(node: JsonSchema): JsonSchema {
  if (typeof node.type === 'string' || node[INT_OR_STRING] === true) return node;
  if (Array.isArray(node.enum)) {
    const inferred = inferTypeFromEnum(node.enum);
    if (inferred) return { ...node, type: inferred };
    return { ...without(node, 'enum'), [PRESERVE_UNKNOWN]: true };
  }
  return { ...node, [PRESERVE_UNKNOWN]: true };
}

/** Keep `format` only where Kubernetes validates it with zod's meaning. */
export function filterFormat(node: JsonSchema): JsonSchema {
  if (node.format === undefined) return node;
  return typeof node.format === 'string' && KUBERNETES_FORMATS.has(node.format)
    ? node
    : without(node, 'format');
}

/** Keep `pattern` when RE2 can compile it (rewritten if needed); otherwise drop the validation. */
export function filterPattern(node: JsonSchema): JsonSchema {
  if (node.pattern === undefined) return node;
  const pattern = typeof node.pattern === 'string' ? toRe2Pattern(node.pattern) : undefined;
  return pattern === undefined ? without(node, 'pattern') : { ...node, pattern };
}

/** apiextensions/v1 forbids `uniqueItems: true`; the other dropped keywords are not in
 * JSONSchemaProps (readOnly, examples, contentEncoding, $ref leftovers, ...). */
export function pickKubernetesKeywords(node: JsonSchema): JsonSchema {
  const out = Object.fromEntries(Object.entries(node).filter(([key]) => EMITTED_KEYWORDS.has(key)));
  if (out.type !== undefined && !(typeof out.type === 'string' && STRUCTURAL_TYPES.has(out.type))) {
    delete out.type;
  }
  if (out[PRESERVE_UNKNOWN] === false) delete out[PRESERVE_UNKNOWN];
  if (out.nullable === false) delete out.nullable;
  // allOf/anyOf branches: value validations only (int-or-string keeps its canonical anyOf)
  for (const key of ['allOf', 'anyOf'] as const) {
    const list = out[key];
    if (!Array.isArray(list)) continue;
    if (key === 'anyOf' && out[INT_OR_STRING] === true) continue;
    const stripped = list
      .filter(isSchemaObject)
      .map(stripToValueValidations)
      .filter((b) => Object.keys(b).length > 0);
    if (stripped.length > 0) out[key] = stripped;
    else delete out[key];
  }
  return out;
}

/** The rules, in order, applied to every node after its children are normalised. */
export const NODE_RULES: ReadonlyArray<(node: JsonSchema) => JsonSchema> = [
  normalizeTypeKeyword,
  constToEnum,
  normalizeExclusiveBounds,
  dropSafeIntegerBounds,
  normalizeNullableUnion,
  mergeUnion,
  mergeAllOf,
  dropNot,
  normalizeObjectShape,
  normalizeItems,
  ensureType,
  filterFormat,
  filterPattern,
  pickKubernetesKeywords,
];

/** Normalise a whole (ref-free) tree bottom-up. */
export function normalizeTree(node: JsonSchema): JsonSchema {
  const withChildren = mapSubschemas(dropNeverProperties(node), normalizeTree);
  return NODE_RULES.reduce((current, rule) => rule(current), withChildren);
}
