/**
 * Unions and intersections: Kubernetes structural schemas have no real anyOf/oneOf/allOf (only value
 * validations inside them), so zod unions become the loosest schema that accepts every branch, and
 * intersections are folded.
 */
import {
  deepEqual,
  INT_OR_STRING,
  isSchemaObject,
  PRESERVE_UNKNOWN,
  VALUE_VALIDATION_KEYWORDS,
  without,
  type JsonSchema,
} from './json-schema.ts';

/** A branch that only admits `null` (`{type:"null"}`, zod's `z.null()` in openapi-3.0 which is
 * `{type:"string", nullable:true, enum:[null]}`, `{nullable:true}`, `{enum:[null]}`). */
export function isNullBranch(node: JsonSchema): boolean {
  if (node.type === 'null') return true;
  const enumValues = node.enum;
  if (Array.isArray(enumValues))
    return enumValues.length > 0 && enumValues.every((v) => v === null);
  return node.nullable === true && node.type === undefined && Object.keys(node).length === 1;
}

/** Merge the single remaining branch of a union into its parent; the parent's own keywords
 * (description, default, nullable put there by zod wrappers) win. */
function liftBranch(parent: JsonSchema, branch: JsonSchema): JsonSchema {
  return { ...branch, ...parent };
}

/** `anyOf/oneOf: [X, null]` -> `X` with `nullable: true`; a single-branch union is unwrapped. */
export function normalizeNullableUnion(node: JsonSchema): JsonSchema {
  let out = node;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = out[key];
    if (!Array.isArray(branches)) continue;
    const schemas = branches.filter(isSchemaObject);
    const nonNull = schemas.filter((b) => !isNullBranch(b));
    const nullable = nonNull.length !== schemas.length ? { nullable: true } : {};
    const rest = { ...without(out, key), ...nullable };
    if (nonNull.length === 0) out = rest;
    else if (nonNull.length === 1) out = liftBranch(rest, nonNull[0]!);
    else out = { ...rest, [key]: nonNull };
  }
  return out;
}

function typeOf(node: JsonSchema): string | undefined {
  return typeof node.type === 'string' ? node.type : undefined;
}

function mergeEnums(branches: JsonSchema[]): unknown[] | undefined {
  if (!branches.every((b) => Array.isArray(b.enum))) return undefined;
  const values: unknown[] = [];
  for (const b of branches) {
    for (const v of b.enum as unknown[]) if (!values.some((w) => deepEqual(v, w))) values.push(v);
  }
  return values;
}

/** Keywords present with an identical value in every branch. */
function commonKeywords(branches: JsonSchema[], skip: ReadonlySet<string>): JsonSchema {
  const [first, ...others] = branches;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(first ?? {})) {
    if (skip.has(key)) continue;
    if (others.every((b) => key in b && deepEqual(b[key], value))) out[key] = value;
  }
  return out;
}

const MERGE_HANDLED = new Set([
  'type',
  'enum',
  'nullable',
  'properties',
  'required',
  'additionalProperties',
  'items',
  PRESERVE_UNKNOWN,
  INT_OR_STRING,
  'anyOf',
  'oneOf',
  'allOf',
]);

/** Objects: properties are merged per name (recursively), required = required in every branch;
 * extra keys survive (preserve-unknown-fields) when any branch would keep them. */
function mergeObjectBranches(branches: JsonSchema[]): JsonSchema {
  const withProps = branches.filter((b) => isSchemaObject(b.properties));
  const withAdditional = branches.filter((b) => isSchemaObject(b.additionalProperties));
  const names = [...new Set(withProps.flatMap((b) => Object.keys(b.properties as JsonSchema)))];
  const out: JsonSchema = { type: 'object' };
  if (withProps.length > 0) {
    out.properties = Object.fromEntries(
      names.map((name) => [
        name,
        mergeBranches(
          withProps.map((b) => (b.properties as JsonSchema)[name]).filter(isSchemaObject),
        ),
      ]),
    );
  }
  const required = names.filter((name) =>
    branches.every((b) => Array.isArray(b.required) && b.required.includes(name)),
  );
  if (required.length > 0) out.required = required;
  const preserve =
    branches.some((b) => b[PRESERVE_UNKNOWN] === true) ||
    (withProps.length > 0 && withAdditional.length > 0) ||
    branches.some((b) => b.properties === undefined && b.additionalProperties === undefined);
  if (preserve) out[PRESERVE_UNKNOWN] = true;
  else if (withAdditional.length === branches.length) {
    out.additionalProperties = mergeBranches(
      withAdditional.map((b) => b.additionalProperties as JsonSchema),
    );
  }
  return out;
}

function mergeArrayBranches(branches: JsonSchema[]): JsonSchema {
  const items = branches.map((b) =>
    isSchemaObject(b.items) ? b.items : ({ [PRESERVE_UNKNOWN]: true } as JsonSchema),
  );
  return { type: 'array', items: mergeBranches(items) };
}

function mergePrimitiveBranches(type: string, branches: JsonSchema[]): JsonSchema {
  const enumValues = mergeEnums(branches);
  return { type, ...(enumValues ? { enum: enumValues } : {}) };
}

/** The branch types, with int-or-string marked and integer absorbed by number. */
function branchTypes(branches: JsonSchema[]): Set<string | undefined> {
  const types = new Set(
    branches.map((b) => (b[INT_OR_STRING] === true ? 'int-or-string' : typeOf(b))),
  );
  if (types.has('integer') && types.has('number')) types.delete('integer');
  return types;
}

const INT_OR_STRING_TYPES = new Set(['integer', 'string', 'int-or-string']);

/**
 * The loosest structural schema that accepts (and does not prune) every value any branch accepts.
 * Used for unions Kubernetes cannot express: objects merge their properties (required = those
 * required everywhere), same-typed primitives merge their enums, integer|string becomes
 * int-or-string, anything else preserves unknown fields.
 */
export function mergeBranches(branches: JsonSchema[]): JsonSchema {
  if (branches.length === 0) return { [PRESERVE_UNKNOWN]: true };
  if (branches.length === 1) return branches[0]!;
  const nullable = branches.some((b) => b.nullable === true) ? { nullable: true } : {};
  const types = branchTypes(branches);
  if (types.size > 1 && [...types].every((t) => t !== undefined && INT_OR_STRING_TYPES.has(t))) {
    return { [INT_OR_STRING]: true, anyOf: [{ type: 'integer' }, { type: 'string' }], ...nullable };
  }
  const type = [...types][0];
  if (types.size !== 1 || type === undefined || type === 'int-or-string') {
    const allObjects = branches.every((b) => typeOf(b) === 'object');
    return { ...(allObjects ? { type: 'object' } : {}), [PRESERVE_UNKNOWN]: true, ...nullable };
  }
  const common = commonKeywords(branches, MERGE_HANDLED);
  const merged =
    type === 'object'
      ? mergeObjectBranches(branches)
      : type === 'array'
        ? mergeArrayBranches(branches)
        : mergePrimitiveBranches(type, branches);
  return { ...common, ...merged, ...nullable };
}

/** Remaining `anyOf`/`oneOf` with several branches -> {@link mergeBranches}. */
export function mergeUnion(node: JsonSchema): JsonSchema {
  let out = node;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = out[key];
    if (!Array.isArray(branches)) continue;
    if (out[INT_OR_STRING] === true && key === 'anyOf') continue; // already the canonical form
    out = liftBranch(without(out, key), mergeBranches(branches.filter(isSchemaObject)));
  }
  return out;
}

/** Only value validations (no type/properties/description/...) may appear inside allOf/anyOf. */
export function stripToValueValidations(node: JsonSchema): JsonSchema {
  return Object.fromEntries(
    Object.entries(node).filter(([key]) => VALUE_VALIDATION_KEYWORDS.has(key)),
  );
}

/** Intersection of two property maps: a name in both gets the allOf of its two schemas. */
function intersectProperties(a: JsonSchema, b: JsonSchema): JsonSchema {
  const properties: JsonSchema = { ...a };
  for (const [name, schema] of Object.entries(b)) {
    const existing = properties[name];
    properties[name] =
      isSchemaObject(existing) && isSchemaObject(schema)
        ? mergeAllOf({ allOf: [existing, schema] })
        : schema;
  }
  return properties;
}

/** Fold one allOf branch into `merged`; returns the conflicting value validations. */
function foldBranch(merged: JsonSchema, branch: JsonSchema): JsonSchema {
  const conflicts: JsonSchema = {};
  for (const [key, value] of Object.entries(branch)) {
    const current = merged[key];
    if (!(key in merged)) merged[key] = value;
    else if (deepEqual(current, value)) continue;
    else if (key === 'required' && Array.isArray(current) && Array.isArray(value)) {
      merged.required = [...new Set([...current, ...value])];
    } else if (key === 'properties' && isSchemaObject(current) && isSchemaObject(value)) {
      merged.properties = intersectProperties(current, value);
    } else if (VALUE_VALIDATION_KEYWORDS.has(key)) {
      conflicts[key] = value;
    }
    // A conflicting structural keyword (type string & number) describes an empty intersection
    // zod itself would reject every value of; keeping the first one is harmless.
  }
  if ('minimum' in conflicts && branch.exclusiveMinimum === true) conflicts.exclusiveMinimum = true;
  if ('maximum' in conflicts && branch.exclusiveMaximum === true) conflicts.exclusiveMaximum = true;
  return conflicts;
}

/**
 * `allOf` (zod: several `.regex()` on one string, non-object intersections) is folded into the
 * node. Conflicting value validations (a second pattern) stay in an `allOf` of value-validation-only
 * branches, which a structural schema allows; object properties are merged, required is the union.
 */
export function mergeAllOf(node: JsonSchema): JsonSchema {
  const allOf = node.allOf;
  if (!Array.isArray(allOf)) return node;
  const merged: JsonSchema = without(node, 'allOf');
  const residual = allOf
    .filter(isSchemaObject)
    .map((branch) => foldBranch(merged, branch))
    .filter((conflicts) => Object.keys(conflicts).length > 0);
  return residual.length > 0 ? { ...merged, allOf: residual } : merged;
}
