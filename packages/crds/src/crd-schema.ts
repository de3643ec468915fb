/**
 * zod schema -> Kubernetes *structural* OpenAPI v3 schema (apiextensions.k8s.io/v1).
 *
 * The zod contract is the single source of truth. `z.toJSONSchema` (target openapi-3.0, io input)
 * gives an OpenAPI 3.0 schema; small pure rules turn it into a schema the API server accepts as
 * structural, without ever declaring *less* than zod accepts. The invariant every rule keeps: a
 * value zod accepts is neither pruned nor rejected by the generated schema. Where Kubernetes cannot
 * express a zod construct, the rule loosens (drops a validation or preserves unknown fields), never
 * tightens. The steps, one file each:
 *   1. zod -> OpenAPI 3.0, and 2. `$ref`s inlined: zod-openapi.ts;
 *   3. the node rules, bottom-up: node-rules.ts (merging unions and allOf: schema-merge.ts);
 *   4. a stable key order: canonical-order.ts.
 */
import type { z } from 'zod';
import { canonicalize } from './canonical-order.ts';
import type { JsonSchema, StructuralSchema } from './json-schema.ts';
import { normalizeTree } from './node-rules.ts';
import { inlineRefs, zodToOpenApi } from './zod-openapi.ts';

export * from './canonical-order.ts';
export * from './json-schema.ts';
export * from './node-rules.ts';
export * from './re2.ts';
export * from './schema-merge.ts';
export * from './zod-openapi.ts';

/** An OpenAPI/JSON schema (e.g. from z.toJSONSchema) -> structural schema. */
export function jsonSchemaToStructural(schema: JsonSchema): StructuralSchema {
  return canonicalize(normalizeTree(inlineRefs(schema))) as StructuralSchema;
}

/** A zod schema -> Kubernetes structural OpenAPI v3 schema. */
export function toStructuralSchema(schema: z.ZodType): StructuralSchema {
  return jsonSchemaToStructural(zodToOpenApi(schema));
}
