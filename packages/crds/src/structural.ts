/**
 * Checks a generated schema tree against the structural-schema rules of apiextensions.k8s.io/v1
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema)
 * and the few extra rules the v1 API enforces on CRD creation.
 */
import {
  EMITTED_KEYWORDS,
  INT_OR_STRING,
  isSchemaObject,
  KUBERNETES_FORMATS,
  PRESERVE_UNKNOWN,
  VALUE_VALIDATION_KEYWORDS,
  type StructuralSchema,
} from './crd-schema.ts';
import { findPrunedFields, findValidationErrors } from './prune.ts';

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

function at(path: string): string {
  return path === '' ? '<root>' : path;
}

function isIntOrStringAnyOf(list: unknown): boolean {
  return (
    Array.isArray(list) &&
    list.length === 2 &&
    isSchemaObject(list[0]) &&
    isSchemaObject(list[1]) &&
    Object.keys(list[0]).join() === 'type' &&
    Object.keys(list[1]).join() === 'type' &&
    list[0].type === 'integer' &&
    list[1].type === 'string'
  );
}

type Node = StructuralSchema & Record<string, unknown>;
/** One rule: the problems of a single node (without its children). */
type NodeCheck = (s: Node) => string[];

const checkKeywords: NodeCheck = (s) =>
  Object.keys(s)
    .filter((key) => !EMITTED_KEYWORDS.has(key))
    .map((key) => `keyword "${key}" is not allowed`);

const checkType: NodeCheck = (s) => {
  const out: string[] = [];
  const preserve = s[PRESERVE_UNKNOWN] === true;
  const intOrString = s[INT_OR_STRING] === true;
  if (s.type === undefined && !preserve && !intOrString) {
    out.push('no type (and no x-kubernetes-preserve-unknown-fields)');
  }
  if (s.type !== undefined && !TYPES.has(s.type)) out.push(`unknown type "${s.type}"`);
  if (intOrString && s.type !== undefined) out.push('int-or-string node must not set type');
  if (s.format !== undefined && !KUBERNETES_FORMATS.has(s.format)) {
    out.push(`format "${s.format}" is not understood by Kubernetes`);
  }
  return out;
};

const checkObject: NodeCheck = (s) => {
  const out: string[] = [];
  const hasProps = s.properties !== undefined;
  const hasAdditional = s.additionalProperties !== undefined;
  if ((hasProps || hasAdditional) && s.type !== 'object') {
    out.push('properties/additionalProperties on a non-object node');
  }
  if (hasProps && hasAdditional)
    out.push('properties and additionalProperties are mutually exclusive');
  if (hasAdditional && !isSchemaObject(s.additionalProperties)) {
    out.push(
      `additionalProperties must be a schema (not ${JSON.stringify(s.additionalProperties)})`,
    );
  }
  if (Array.isArray(s.required) && isSchemaObject(s.properties)) {
    for (const name of s.required) {
      if (!(name in s.properties)) out.push(`required "${name}" is not a declared property`);
    }
  }
  return out;
};

const checkArrayAndBounds: NodeCheck = (s) => {
  const out: string[] = [];
  if (s.type === 'array' && !isSchemaObject(s.items)) out.push('array without an items schema');
  if (s.items !== undefined && s.type !== 'array') out.push('items on a non-array node');
  if (s.exclusiveMinimum !== undefined && s.minimum === undefined) {
    out.push('exclusiveMinimum without minimum');
  }
  if (s.exclusiveMaximum !== undefined && s.maximum === undefined) {
    out.push('exclusiveMaximum without maximum');
  }
  return out;
};

function junctorProblems(keyword: string, list: unknown, node: Node): string[] {
  if (!Array.isArray(list) || list.length === 0) return [`${keyword} must be a non-empty list`];
  const out: string[] = [];
  if (node.type === undefined) out.push(`${keyword} on a node without type`);
  list.forEach((branch, i) => {
    if (!isSchemaObject(branch)) {
      out.push(`${keyword}[${i}] is not a schema`);
      return;
    }
    for (const key of Object.keys(branch)) {
      if (!VALUE_VALIDATION_KEYWORDS.has(key)) {
        out.push(`${keyword}[${i}] may only hold value validations, found "${key}"`);
      }
    }
  });
  return out;
}

/** anyOf/allOf: only value validations inside, a type outside; or the int-or-string idiom. */
const checkJunctors: NodeCheck = (s) => {
  const out: string[] = [];
  if (s.anyOf !== undefined) {
    if (s[INT_OR_STRING] !== true) out.push(...junctorProblems('anyOf', s.anyOf, s));
    else if (!isIntOrStringAnyOf(s.anyOf))
      out.push('int-or-string anyOf must be [integer, string]');
  }
  if (s.allOf !== undefined) out.push(...junctorProblems('allOf', s.allOf, s));
  return out;
};

/** A default must survive pruning and validation unchanged; enum values must match the type. */
const checkValues: NodeCheck = (s) => {
  const out: string[] = [];
  if (s.default !== undefined) {
    for (const f of findPrunedFields(s.default, s, { isRoot: false })) {
      out.push(`default would be pruned at ${f.path || '<default>'} (${f.reason})`);
    }
    for (const e of findValidationErrors(s.default, s)) {
      out.push(`default is invalid at ${e.path || '<default>'}: ${e.message}`);
    }
  }
  const type = s.type;
  if (s.enum !== undefined && type !== undefined) {
    for (const value of s.enum) {
      const ok =
        value === null ? s.nullable === true : findValidationErrors(value, { type }).length === 0;
      if (!ok) out.push(`enum value ${JSON.stringify(value)} does not match type ${type}`);
    }
  }
  return out;
};

const NODE_CHECKS: NodeCheck[] = [
  checkKeywords,
  checkType,
  checkObject,
  checkArrayAndBounds,
  checkJunctors,
  checkValues,
];

/** Every violation in the tree (empty = structural and acceptable to the v1 API). */
export function findStructuralViolations(schema: unknown, path = ''): string[] {
  const out: string[] = [];
  const visit = (node: unknown, p: string): void => {
    if (!isSchemaObject(node)) {
      out.push(`${at(p)}: schema node is not an object`);
      return;
    }
    const s = node as Node;
    for (const check of NODE_CHECKS) out.push(...check(s).map((problem) => `${at(p)}: ${problem}`));
    for (const [name, child] of Object.entries(s.properties ?? {})) {
      visit(child, p === '' ? name : `${p}.${name}`);
    }
    if (isSchemaObject(s.additionalProperties)) visit(s.additionalProperties, `${p}{*}`);
    if (s.items !== undefined) visit(s.items, `${p}[*]`);
  };
  visit(schema, path);
  return out;
}

/** Every path to a declared leaf property (arrays as `[]`); records and preserve-unknown nodes are
 * leaves. Used to prove a fixture sets every field of a schema. */
export function declaredPaths(schema: StructuralSchema, path = ''): string[] {
  if (schema.properties) {
    return Object.entries(schema.properties).flatMap(([name, child]) => {
      const p = path === '' ? name : `${path}.${name}`;
      return [p, ...declaredPaths(child, p)];
    });
  }
  if (schema.items) return declaredPaths(schema.items, `${path}[]`);
  return [];
}

/** Every path present in a value, in the notation of {@link declaredPaths}. */
export function presentPaths(value: unknown, path = ''): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown, p: string): void => {
    if (Array.isArray(v)) v.forEach((item) => visit(item, `${p}[]`));
    else if (isSchemaObject(v)) {
      for (const [key, item] of Object.entries(v)) {
        const q = p === '' ? key : `${p}.${key}`;
        out.add(q);
        visit(item, q);
      }
    }
  };
  visit(value, path);
  return out;
}
