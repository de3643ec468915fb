/**
 * Step 4 of the structural-schema pipeline (crd-schema.ts): a stable key order, so the generated
 * CRD YAML does not churn when a contract is reordered.
 */
import { isSchemaObject, type JsonSchema } from './json-schema.ts';

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
