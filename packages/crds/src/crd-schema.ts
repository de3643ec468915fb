/**
 * zod schema -> Kubernetes *structural* OpenAPI v3 schema (apiextensions.k8s.io/v1).
 *
 * The zod contract is the single source of truth. `z.toJSONSchema` (target openapi-3.0, io input)
 * gives an OpenAPI 3.0 schema; the small pure rules below turn it into a schema the API server
 * accepts as structural, without ever declaring *less* than zod accepts. The invariant every rule
 * keeps: a value zod accepts is neither pruned nor rejected by the generated schema. Where
 * Kubernetes cannot express a zod construct, the rule loosens (drops a validation or preserves
 * unknown fields), never tightens.
 */
import { z } from 'zod';
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
  type StructuralSchema,
  type StructuralType,
} from './json-schema.ts';
import { regexToPattern, toRe2Pattern } from './re2.ts';
import {
  mergeAllOf,
  mergeBranches,
  mergeUnion,
  normalizeNullableUnion,
  stripToValueValidations,
} from './schema-merge.ts';

export * from './json-schema.ts';
export * from './re2.ts';
export * from './schema-merge.ts';

// ---------------------------------------------------------------------------------------------
// Step 1: zod -> OpenAPI 3.0 (JSON schema)
// ---------------------------------------------------------------------------------------------

/** The RegExps of a zod string schema's checks (zod's JSON output keeps only `.source`). */
function regexesOf(schema: z.core.$ZodType): RegExp[] {
  const checks = (schema._zod.def as { checks?: z.core.$ZodCheck[] }).checks ?? [];
  const out: RegExp[] = [];
  for (const check of checks) {
    const pattern = (check._zod.def as { pattern?: unknown }).pattern;
    if (pattern instanceof RegExp) out.push(pattern);
  }
  return out;
}

/** `override` hook for z.toJSONSchema: zod drops regex flags (`/abc/i` -> pattern "abc"), which
 * would make the server reject values zod accepts. Re-attach them as RE2 inline flags. */
export function restoreRegexFlags(ctx: {
  zodSchema: z.core.$ZodType;
  jsonSchema: JsonSchema;
}): void {
  const flagged = regexesOf(ctx.zodSchema).filter((re) => regexToPattern(re) !== re.source);
  if (flagged.length === 0) return;
  const fix = (node: JsonSchema) => {
    const match = flagged.find((re) => re.source === node.pattern);
    if (match) node.pattern = regexToPattern(match);
  };
  fix(ctx.jsonSchema);
  const allOf = ctx.jsonSchema.allOf;
  if (Array.isArray(allOf)) allOf.filter(isSchemaObject).forEach(fix);
}

/** OpenAPI 3.0 JSON schema of the zod *input* type (fields with defaults are optional). */
export function zodToOpenApi(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
    reused: 'inline',
    cycles: 'ref',
    override: (ctx) =>
      restoreRegexFlags({ zodSchema: ctx.zodSchema, jsonSchema: ctx.jsonSchema as JsonSchema }),
  }) as JsonSchema;
}

// ---------------------------------------------------------------------------------------------
// Step 2: inline $ref / definitions / $defs
// ---------------------------------------------------------------------------------------------

function resolvePointer(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isSchemaObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return isSchemaObject(node) ? node : undefined;
}

/**
 * Replace every `$ref` with the schema it points to, and drop `definitions`/`$defs`/`$schema`.
 * Kubernetes has no references, so a recursive reference cannot be inlined: it becomes a node that
 * preserves unknown fields (typed `object` when the target is an object).
 */
export function inlineRefs(root: JsonSchema): JsonSchema {
  const visit = (node: JsonSchema, stack: readonly string[]): JsonSchema => {
    const ref = node.$ref;
    if (typeof ref === 'string') {
      const siblings = without(node, '$ref');
      const target = resolvePointer(root, ref);
      if (!target) throw new Error(`crd-schema: cannot resolve $ref ${ref}`);
      if (stack.includes(ref)) {
        const isObject = target.type === 'object' || target.properties !== undefined;
        return {
          ...(typeof target.description === 'string' ? { description: target.description } : {}),
          ...(isObject ? { type: 'object' } : {}),
          ...siblings,
          [PRESERVE_UNKNOWN]: true,
        };
      }
      return visit({ ...without(target, 'definitions', '$defs', '$schema', '$id'), ...siblings }, [
        ...stack,
        ref,
      ]);
    }
    return mapSubschemas(without(node, 'definitions', '$defs', '$schema', '$id'), (child) =>
      visit(child, stack),
    );
  };
  return visit(root, ['#']);
}

// ---------------------------------------------------------------------------------------------
// Step 3: node rules (each takes a node whose children are already normalised)
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Step 4: stable key order
// ---------------------------------------------------------------------------------------------

const KEY_ORDER = [
  'description',
  'title',
  'type',
  'format',
  'enum',
  'default',
  'nullable',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'allOf',
  'anyOf',
];

function keyRank(key: string): number {
  const index = KEY_ORDER.indexOf(key);
  return index === -1 ? KEY_ORDER.length : index;
}

/** Canonical key order (keywords in a fixed order, properties and required sorted by name) so
 * the generated YAML does not churn when a contract is reordered. `enum` keeps its order. */
export function canonicalize(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  const keys = Object.keys(node).sort((a, b) => keyRank(a) - keyRank(b) || a.localeCompare(b));
  for (const key of keys) {
    const value = node[key];
    if (key === 'properties' && isSchemaObject(value)) {
      out[key] = Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((name) => [name, canonicalize(value[name] as JsonSchema)]),
      );
    } else if (key === 'required' && Array.isArray(value)) {
      out[key] = [...value].sort();
    } else if ((key === 'items' || key === 'additionalProperties') && isSchemaObject(value)) {
      out[key] = canonicalize(value);
    } else if ((key === 'allOf' || key === 'anyOf') && Array.isArray(value)) {
      out[key] = value.map((b) => (isSchemaObject(b) ? canonicalize(b) : b));
    } else {
      out[key] = value;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/** An OpenAPI/JSON schema (e.g. from z.toJSONSchema) -> structural schema. */
export function jsonSchemaToStructural(schema: JsonSchema): StructuralSchema {
  return canonicalize(normalizeTree(inlineRefs(schema))) as StructuralSchema;
}

/** A zod schema -> Kubernetes structural OpenAPI v3 schema. */
export function toStructuralSchema(schema: z.ZodType): StructuralSchema {
  return jsonSchemaToStructural(zodToOpenApi(schema));
}
