/** Schema conversion, part 2: object/array shapes, types, formats, keyword picking, canonical order, awkward zod constructs. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  canonicalize,
  ensureType,
  filterFormat,
  filterPattern,
  INT_OR_STRING,
  normalizeItems,
  normalizeObjectShape,
  pickKubernetesKeywords,
  PRESERVE_UNKNOWN,
  toRe2Pattern,
  toStructuralSchema,
} from './crd-schema.ts';
import { findStructuralViolations } from './structural.ts';

const P = PRESERVE_UNKNOWN;

describe('normalizeObjectShape', () => {
  it('removes additionalProperties: false (z.strictObject)', () => {
    expect(
      normalizeObjectShape({ type: 'object', properties: {}, additionalProperties: false }),
    ).toEqual({
      type: 'object',
      properties: {},
    });
  });
  it('record(string, string) stays a typed map', () => {
    expect(
      normalizeObjectShape({ type: 'object', additionalProperties: { type: 'string' } }),
    ).toEqual({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
  });
  it('record(string, unknown) -> object preserving unknown fields', () => {
    expect(normalizeObjectShape({ type: 'object', additionalProperties: {} })).toEqual({
      type: 'object',
      [P]: true,
    });
    expect(normalizeObjectShape({ type: 'object', additionalProperties: { [P]: true } })).toEqual({
      type: 'object',
      [P]: true,
    });
  });
  it('.loose() and .catchall(T) keep their properties and preserve the rest', () => {
    expect(
      normalizeObjectShape({
        type: 'object',
        properties: { a: { type: 'string' } },
        additionalProperties: { type: 'number' },
      }),
    ).toEqual({ type: 'object', properties: { a: { type: 'string' } }, [P]: true });
  });
  it('empty properties next to a typed additionalProperties are dropped', () => {
    expect(
      normalizeObjectShape({
        type: 'object',
        properties: {},
        additionalProperties: { type: 'number' },
      }),
    ).toEqual({ type: 'object', additionalProperties: { type: 'number' } });
  });
  it('patternProperties (looseRecord) and propertyNames are not Kubernetes keywords', () => {
    expect(
      normalizeObjectShape({ type: 'object', patternProperties: { '^x-': { type: 'number' } } }),
    ).toEqual({
      type: 'object',
      [P]: true,
    });
    expect(
      normalizeObjectShape({
        type: 'object',
        propertyNames: { type: 'string' },
        additionalProperties: { type: 'string' },
      }),
    ).toEqual({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
  });
  it('end to end: records', () => {
    const out = toStructuralSchema(
      z.object({ env: z.record(z.string(), z.string()), usage: z.record(z.string(), z.unknown()) }),
    );
    expect(out.properties).toEqual({
      env: { type: 'object', additionalProperties: { type: 'string' } },
      usage: { type: 'object', [P]: true },
    });
  });
});

describe('normalizeItems', () => {
  it('a tuple list becomes one merged items schema', () => {
    expect(
      normalizeItems({
        type: 'array',
        prefixItems: [{ type: 'string' }, { type: 'string', enum: ['x'] }],
      }),
    ).toEqual({
      type: 'array',
      items: { type: 'string' },
    });
  });
  it('an array without items preserves its items', () => {
    expect(normalizeItems({ type: 'array' })).toEqual({ type: 'array', items: { [P]: true } });
  });
});

describe('ensureType', () => {
  it('{} (unknown/any) -> preserve-unknown-fields without type', () => {
    expect(ensureType({})).toEqual({ [P]: true });
    expect(ensureType({ description: 'x' })).toEqual({ description: 'x', [P]: true });
  });
  it('infers the type of an enum', () => {
    expect(ensureType({ enum: ['a', 'b'] })).toEqual({ enum: ['a', 'b'], type: 'string' });
    expect(ensureType({ enum: [1, 2] })).toEqual({ enum: [1, 2], type: 'integer' });
    expect(ensureType({ enum: ['a', 1] })).toEqual({ [P]: true });
  });
  it('leaves typed and int-or-string nodes alone', () => {
    expect(ensureType({ type: 'string' })).toEqual({ type: 'string' });
    expect(ensureType({ [INT_OR_STRING]: true })).toEqual({ [INT_OR_STRING]: true });
  });
  it('end to end: z.unknown() and z.any() values', () => {
    const out = toStructuralSchema(
      z.object({ a: z.unknown(), b: z.any(), c: z.array(z.unknown()) }),
    );
    expect(out.properties).toEqual({
      a: { [P]: true },
      b: { [P]: true },
      c: { type: 'array', items: { [P]: true } },
    });
    // zod 4.6 requires the key of an unknown/any field to be present (parse fails on a missing key),
    // so toJSONSchema lists it as required; the structural schema agrees with zod.
    expect(out.required).toEqual(['a', 'b', 'c']);
  });
});

describe('filterFormat / filterPattern / toRe2Pattern', () => {
  it('keeps formats Kubernetes understands, drops the others', () => {
    expect(filterFormat({ type: 'string', format: 'date-time' })).toEqual({
      type: 'string',
      format: 'date-time',
    });
    expect(filterFormat({ type: 'string', format: 'starts_with' })).toEqual({ type: 'string' });
    expect(filterFormat({ type: 'string', format: 'duration' })).toEqual({ type: 'string' });
  });
  it('rewrites JS-only syntax to RE2 and rejects what RE2 cannot do', () => {
    expect(toRe2Pattern('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')).toBe('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$');
    expect(toRe2Pattern('^(?<year>\\d{4})$')).toBe('^(?P<year>\\d{4})$');
    expect(toRe2Pattern('\\u00e9')).toBe('\\x{00e9}');
    expect(toRe2Pattern('^(?=a)\\w+$')).toBeUndefined();
    expect(toRe2Pattern('(?<!a)b')).toBeUndefined();
    expect(toRe2Pattern('(a)\\1')).toBeUndefined();
    expect(toRe2Pattern('[\\1]')).toBe('[\\1]');
  });
  it('drops a pattern RE2 cannot compile', () => {
    expect(filterPattern({ type: 'string', pattern: '^(?!x)' })).toEqual({ type: 'string' });
  });
  it('end to end: z.iso.datetime() keeps format and pattern; z.iso.duration() keeps neither', () => {
    const out = toStructuralSchema(z.object({ at: z.iso.datetime(), d: z.iso.duration() }));
    expect(out.properties?.at?.format).toBe('date-time');
    expect(out.properties?.at?.pattern).toBeTypeOf('string');
    expect(out.properties?.d).toEqual({ type: 'string' });
  });
});

describe('pickKubernetesKeywords', () => {
  it('keeps the Kubernetes keywords and x-kubernetes-* extensions only', () => {
    expect(
      pickKubernetesKeywords({
        type: 'array',
        description: 'd',
        default: [],
        items: { type: 'string' },
        readOnly: true,
        examples: [[]],
        uniqueItems: true,
        'x-kubernetes-list-type': 'set',
        'x-other': 1,
      }),
    ).toEqual({
      type: 'array',
      description: 'd',
      default: [],
      items: { type: 'string' },
      'x-kubernetes-list-type': 'set',
    });
  });
  it('strips allOf branches to value validations', () => {
    expect(
      pickKubernetesKeywords({
        type: 'string',
        allOf: [{ type: 'string', description: 'x', pattern: 'a' }],
      }),
    ).toEqual({
      type: 'string',
      allOf: [{ pattern: 'a' }],
    });
  });
  it('passes x-kubernetes-* metadata through from zod .meta()', () => {
    const out = toStructuralSchema(
      z
        .array(z.object({ type: z.string() }))
        .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] }),
    );
    expect(out['x-kubernetes-list-type']).toBe('map');
    expect(out['x-kubernetes-list-map-keys']).toEqual(['type']);
  });
});

describe('canonicalize', () => {
  it('orders keywords, sorts properties and required, keeps enum order', () => {
    const out = canonicalize({
      required: ['b', 'a'],
      properties: { b: { enum: ['z', 'a'], type: 'string' }, a: { type: 'string' } },
      type: 'object',
      description: 'd',
    });
    expect(JSON.stringify(out)).toBe(
      JSON.stringify({
        description: 'd',
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'string', enum: ['z', 'a'] } },
        required: ['a', 'b'],
      }),
    );
  });
});

describe('toStructuralSchema over awkward zod constructs', () => {
  type Tree = { name: string; children?: Tree[] };
  const tree: z.ZodType<Tree> = z.lazy(() =>
    z.object({ name: z.string(), children: z.array(tree).optional() }),
  );
  const awkward = z.object({
    nul: z.null(),
    litNull: z.literal(null),
    date: z.date(),
    map: z.map(z.string(), z.string()),
    set: z.set(z.string()),
    json: z.json(),
    tuple: z.tuple([z.string(), z.number()]),
    intOrString: z.union([z.string(), z.int()]),
    strict: z.strictObject({ a: z.string() }),
    loose: z.looseObject({ a: z.string() }),
    catchall: z.object({ a: z.string() }).catchall(z.number()),
    looseRecord: z.looseRecord(z.string().regex(/^x-/), z.number()),
    enumRecord: z.record(z.enum(['a', 'b']), z.string()),
    tree,
    readonly: z.object({ a: z.string() }).readonly(),
    transformed: z.string().transform((s) => s.length),
    email: z.email(),
    startsWith: z.string().startsWith('ab'),
    never: z.never().optional(),
    defaulted: z.object({ a: z.string().default('x') }).default({ a: 'y' }),
  });

  it('yields a structural schema with no violations', () => {
    expect(findStructuralViolations(toStructuralSchema(awkward))).toEqual([]);
  });
  it('recursion is cut with preserve-unknown-fields', () => {
    const out = toStructuralSchema(awkward);
    expect(out.properties?.tree?.properties?.children?.items).toEqual({
      type: 'object',
      [P]: true,
    });
  });
});
