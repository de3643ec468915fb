/**
 * A pruning simulator: what the API server would silently drop from an object written against a
 * structural schema. Mirrors apiextensions-apiserver's pruning algorithm
 * (pkg/apiserver/schema/pruning) and the pruning of nulls in non-nullable fields:
 * - an object key is kept when declared in `properties`, or when `additionalProperties` is set
 *   (its value is then walked with that schema); otherwise it is pruned, unless the node has
 *   `x-kubernetes-preserve-unknown-fields: true` (declared properties below it are still walked);
 * - array items are walked with `items`;
 * - at the resource root, apiVersion/kind/metadata are never pruned by the CRD schema
 *   (metadata is handled as ObjectMeta by the server);
 * - a `null` in a field that is not `nullable` is dropped (or replaced by its default).
 * Also a small validator for the value checks the server applies after pruning.
 */
import {
  INT_OR_STRING,
  isSchemaObject,
  PRESERVE_UNKNOWN,
  type StructuralSchema,
} from './crd-schema.ts';

export interface PruneFinding {
  path: string;
  reason: string;
}

const ROOT_META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function walk(
  value: unknown,
  schema: StructuralSchema | undefined,
  path: string,
  isRoot: boolean,
  findings: PruneFinding[],
): void {
  const preserve = schema?.[PRESERVE_UNKNOWN] === true;
  if (Array.isArray(value)) {
    if (preserve && schema?.items === undefined) return;
    value.forEach((item, i) => walkValue(item, schema?.items, child(path, i), findings));
    return;
  }
  if (!isSchemaObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (isRoot && ROOT_META_FIELDS.has(key)) continue;
    const declared = schema?.properties?.[key] ?? schema?.additionalProperties;
    if (declared) walkValue(v, declared, child(path, key), findings);
    else if (!preserve) {
      findings.push({ path: child(path, key), reason: 'not declared in the schema' });
    }
  }
}

function walkValue(
  value: unknown,
  schema: StructuralSchema | undefined,
  path: string,
  findings: PruneFinding[],
): void {
  if (value === null && schema !== undefined && schema.nullable !== true) {
    findings.push({
      path,
      reason:
        schema.default !== undefined
          ? 'null in a non-nullable field (replaced by the default)'
          : 'null in a non-nullable field',
    });
    return;
  }
  walk(value, schema, path, false, findings);
}

/** Every field the API server would prune from `object` (a whole resource, or any value when
 * `isRoot` is false). Empty means the object round-trips unchanged. */
export function findPrunedFields(
  object: unknown,
  schema: StructuralSchema,
  options: { isRoot?: boolean } = {},
): PruneFinding[] {
  const findings: PruneFinding[] = [];
  walk(object, schema, '', options.isRoot ?? true, findings);
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Validation (after pruning): type, nullable, enum, required, bounds, pattern
// ---------------------------------------------------------------------------------------------

export interface ValidationFinding {
  path: string;
  message: string;
}

/** A Go RE2 pattern as a JS RegExp (inverse of the rewrites in toRe2Pattern), or undefined. */
export function re2ToRegExp(pattern: string): RegExp | undefined {
  let flags = 'u';
  let source = pattern;
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline) {
    flags += inline[1];
    source = source.slice(inline[0].length);
  }
  source = source.replace(/\(\?P</g, '(?<').replace(/\\x\{([0-9a-fA-F]+)\}/g, '\\u{$1}');
  try {
    return new RegExp(source, flags);
  } catch {
    try {
      return new RegExp(source, flags.replace('u', ''));
    } catch {
      return undefined;
    }
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(type: string, value: unknown): boolean {
  const actual = jsonType(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

type Check = (
  value: unknown,
  schema: StructuralSchema,
  path: string,
  out: ValidationFinding[],
) => void;

const checkEnum: Check = (value, schema, path, out) => {
  if (schema.enum && !schema.enum.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    out.push({
      path,
      message: `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`,
    });
  }
};

const checkString: Check = (value, schema, path, out) => {
  if (typeof value !== 'string') return;
  const length = [...value].length; // the server counts code points
  if (schema.minLength !== undefined && length < schema.minLength) {
    out.push({ path, message: `shorter than ${schema.minLength}` });
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    out.push({ path, message: `longer than ${schema.maxLength}` });
  }
  const regex = schema.pattern === undefined ? undefined : re2ToRegExp(schema.pattern);
  if (regex && !regex.test(value)) out.push({ path, message: `does not match ${schema.pattern}` });
};

const checkNumber: Check = (value, schema, path, out) => {
  if (typeof value !== 'number') return;
  const { minimum, maximum } = schema;
  if (minimum !== undefined && !(schema.exclusiveMinimum ? value > minimum : value >= minimum)) {
    out.push({ path, message: `below minimum ${minimum}` });
  }
  if (maximum !== undefined && !(schema.exclusiveMaximum ? value < maximum : value <= maximum)) {
    out.push({ path, message: `above maximum ${maximum}` });
  }
};

const checkArray: Check = (value, schema, path, out) => {
  if (!Array.isArray(value)) return;
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    out.push({ path, message: `fewer than ${schema.minItems} items` });
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    out.push({ path, message: `more than ${schema.maxItems} items` });
  }
};

const checkValueValidations: Check = (value, schema, path, out) => {
  for (const check of [checkEnum, checkString, checkNumber, checkArray])
    check(value, schema, path, out);
  for (const branch of schema.allOf ?? []) checkValueValidations(value, branch, path, out);
};

/** What the API server's schema validation would reject in `value` (checked after pruning). */
export function findValidationErrors(
  value: unknown,
  schema: StructuralSchema,
  path = '',
): ValidationFinding[] {
  const out: ValidationFinding[] = [];
  const visit = (v: unknown, s: StructuralSchema, p: string): void => {
    if (v === null) {
      if (s.nullable !== true && s[PRESERVE_UNKNOWN] !== true)
        out.push({ path: p, message: 'null is not allowed' });
      return;
    }
    if (s[INT_OR_STRING] === true) {
      if (!(typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)))) {
        out.push({ path: p, message: 'expected an integer or a string' });
      }
      return;
    }
    if (s.type !== undefined && !typeMatches(s.type, v)) {
      out.push({ path: p, message: `expected ${s.type}, got ${jsonType(v)}` });
      return;
    }
    checkValueValidations(v, s, p, out);
    if (Array.isArray(v) && s.items) v.forEach((item, i) => visit(item, s.items!, child(p, i)));
    if (isSchemaObject(v)) {
      for (const name of s.required ?? []) {
        if (!(name in v)) out.push({ path: child(p, name), message: 'required' });
      }
      for (const [key, item] of Object.entries(v)) {
        const declared = s.properties?.[key] ?? s.additionalProperties;
        if (declared) visit(item, declared, child(p, key));
      }
    }
  };
  visit(value, schema, path);
  return out;
}
