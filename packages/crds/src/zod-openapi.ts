/**
 * Steps 1 and 2 of the structural-schema pipeline (crd-schema.ts): the zod contract as an OpenAPI
 * 3.0 JSON schema of its *input* type, then every `$ref` inlined, since Kubernetes has no
 * references.
 */
import { z } from 'zod';
import {
  isSchemaObject,
  mapSubschemas,
  PRESERVE_UNKNOWN,
  without,
  type JsonSchema,
} from './json-schema.ts';
import { regexToPattern } from './re2.ts';

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
