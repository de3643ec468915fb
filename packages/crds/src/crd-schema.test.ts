import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  canonicalize,
  constToEnum,
  dropNeverProperties,
  dropNot,
  dropSafeIntegerBounds,
  ensureType,
  filterFormat,
  filterPattern,
  inlineRefs,
  INT_OR_STRING,
  isNullBranch,
  mergeAllOf,
  mergeBranches,
  mergeUnion,
  normalizeExclusiveBounds,
  normalizeItems,
  normalizeNullableUnion,
  normalizeObjectShape,
  normalizeTypeKeyword,
  pickKubernetesKeywords,
  PRESERVE_UNKNOWN,
  regexToPattern,
  toRe2Pattern,
  toStructuralSchema,
  zodToOpenApi,
} from './crd-schema.ts';
import { findStructuralViolations } from './structural.ts';

const P = PRESERVE_UNKNOWN;
const MAX = Number.MAX_SAFE_INTEGER;

describe('zodToOpenApi (z.toJSONSchema options)', () => {
  it('uses the input type: defaulted fields are optional and carry the default', () => {
    const schema = zodToOpenApi(z.object({ a: z.boolean().default(true), b: z.string() }));
    expect(schema.required).toEqual(['b']);
    expect(schema.properties).toMatchObject({ a: { type: 'boolean', default: true } });
  });
  it('targets OpenAPI 3.0: nullable instead of a null union, boolean exclusiveMinimum', () => {
    const schema = zodToOpenApi(z.object({ a: z.string().nullable(), n: z.number().positive() }));
    expect(schema.properties).toMatchObject({
      a: { type: 'string', nullable: true },
      n: { minimum: 0, exclusiveMinimum: true },
    });
  });
  it('maps unrepresentable types to {} instead of throwing', () => {
    expect(zodToOpenApi(z.date())).toEqual({});
  });
  it('keeps regex flags zod would drop', () => {
    expect(zodToOpenApi(z.string().regex(/^abc$/i)).pattern).toBe('(?i)^abc$');
    expect(regexToPattern(/a.b/ms)).toBe('(?ms)a.b');
    expect(regexToPattern(/x/gu)).toBe('x');
  });
});

describe('inlineRefs', () => {
  it('inlines definitions and drops $schema / definitions / $defs', () => {
    const out = inlineRefs({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { a: { $ref: '#/definitions/A' }, b: { $ref: '#/$defs/B', description: 'b' } },
      definitions: { A: { type: 'string' } },
      $defs: { B: { type: 'integer' } },
    });
    expect(out).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'integer', description: 'b' } },
    });
  });
  it('turns a recursive reference into preserve-unknown-fields', () => {
    const out = inlineRefs({
      type: 'object',
      properties: { children: { type: 'array', items: { $ref: '#' } } },
    });
    expect(out).toEqual({
      type: 'object',
      properties: { children: { type: 'array', items: { type: 'object', [P]: true } } },
    });
  });
  it('does not touch data: a default that looks like a $ref is kept', () => {
    const out = inlineRefs({ type: 'object', default: { $ref: '#/x' } });
    expect(out.default).toEqual({ $ref: '#/x' });
  });
  it('inlines zod schemas that carry an id (which zod extracts to definitions)', () => {
    const shared = z.object({ a: z.string() }).meta({ id: 'Shared' });
    const out = toStructuralSchema(z.object({ x: shared, y: z.array(shared) }));
    expect(JSON.stringify(out)).not.toContain('$ref');
    expect(out.properties?.y?.items?.properties?.a).toEqual({ type: 'string' });
  });
});

describe('normalizeTypeKeyword', () => {
  it('type: "null" (zod z.literal(null) in openapi-3.0) becomes nullable', () => {
    expect(normalizeTypeKeyword({ type: 'null', enum: [null] })).toEqual({
      enum: [null],
      nullable: true,
    });
  });
  it('draft-style type arrays become type + nullable', () => {
    expect(normalizeTypeKeyword({ type: ['string', 'null'] })).toEqual({
      type: 'string',
      nullable: true,
    });
  });
  it('several non-null types become an anyOf for mergeUnion', () => {
    expect(normalizeTypeKeyword({ type: ['string', 'integer'] })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'integer' }],
    });
  });
});

describe('constToEnum / normalizeExclusiveBounds / dropSafeIntegerBounds', () => {
  it('const -> enum', () => {
    expect(constToEnum({ type: 'string', const: 'x' })).toEqual({ type: 'string', enum: ['x'] });
  });
  it('numeric exclusive bounds -> OpenAPI 3.0 boolean form', () => {
    expect(
      normalizeExclusiveBounds({ type: 'number', exclusiveMinimum: 1, exclusiveMaximum: 5 }),
    ).toEqual({
      type: 'number',
      minimum: 1,
      exclusiveMinimum: true,
      maximum: 5,
      exclusiveMaximum: true,
    });
  });
  it('drops the ±MAX_SAFE_INTEGER bounds zod adds to .int(), keeps real ones', () => {
    expect(dropSafeIntegerBounds({ type: 'integer', minimum: -MAX, maximum: MAX })).toEqual({
      type: 'integer',
    });
    expect(
      dropSafeIntegerBounds({ type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: MAX }),
    ).toEqual({
      type: 'integer',
      minimum: 0,
      exclusiveMinimum: true,
    });
    expect(
      dropSafeIntegerBounds({ type: 'integer', minimum: -(2 ** 31), maximum: 2 ** 31 - 1 }),
    ).toEqual({
      type: 'integer',
      minimum: -(2 ** 31),
      maximum: 2 ** 31 - 1,
    });
  });
  it('end to end: z.int() is a plain integer, .positive() keeps minimum 0 (exclusive)', () => {
    const out = toStructuralSchema(z.object({ a: z.int(), b: z.number().int().positive() }));
    expect(out.properties).toEqual({
      a: { type: 'integer' },
      b: { type: 'integer', minimum: 0, exclusiveMinimum: true },
    });
  });
});

describe('nullable unions', () => {
  it('recognises the null branch shapes', () => {
    expect(isNullBranch({ type: 'null' })).toBe(true);
    expect(isNullBranch({ type: 'string', nullable: true, enum: [null] })).toBe(true);
    expect(isNullBranch({ nullable: true })).toBe(true);
    expect(isNullBranch({ type: 'string', nullable: true })).toBe(false);
  });
  it('anyOf [X, null] -> X + nullable, keeping the parent keywords', () => {
    expect(
      normalizeNullableUnion({
        description: 'd',
        anyOf: [{ type: 'string', minLength: 1 }, { type: 'null' }],
      }),
    ).toEqual({ type: 'string', minLength: 1, description: 'd', nullable: true });
  });
  it('oneOf with one branch is unwrapped', () => {
    expect(normalizeNullableUnion({ oneOf: [{ type: 'integer' }] })).toEqual({ type: 'integer' });
  });
  it('end to end: z.union([T, z.null()]) and .nullable() agree', () => {
    const out = toStructuralSchema(
      z.object({ a: z.union([z.string(), z.null()]), b: z.string().nullable().optional() }),
    );
    expect(out.properties).toEqual({
      a: { type: 'string', nullable: true },
      b: { type: 'string', nullable: true },
    });
  });
});

describe('mergeBranches / mergeUnion (unions Kubernetes cannot express)', () => {
  it('integer | string -> int-or-string', () => {
    expect(mergeBranches([{ type: 'string' }, { type: 'integer' }])).toEqual({
      [INT_OR_STRING]: true,
      anyOf: [{ type: 'integer' }, { type: 'string' }],
    });
  });
  it('objects merge their properties; required only where every branch requires it', () => {
    expect(
      mergeBranches([
        {
          type: 'object',
          properties: { k: { type: 'string', enum: ['a'] }, a: { type: 'string' } },
          required: ['k', 'a'],
        },
        {
          type: 'object',
          properties: { k: { type: 'string', enum: ['b'] }, b: { type: 'number' } },
          required: ['k', 'b'],
        },
      ]),
    ).toEqual({
      type: 'object',
      properties: {
        k: { type: 'string', enum: ['a', 'b'] },
        a: { type: 'string' },
        b: { type: 'number' },
      },
      required: ['k'],
    });
  });
  it('same primitive type: enums union; a branch without enum removes the enum', () => {
    expect(
      mergeBranches([
        { type: 'string', enum: ['a'] },
        { type: 'string', enum: ['b'] },
      ]),
    ).toEqual({
      type: 'string',
      enum: ['a', 'b'],
    });
    expect(mergeBranches([{ type: 'string', enum: ['a'] }, { type: 'string' }])).toEqual({
      type: 'string',
    });
  });
  it('integer | number -> number', () => {
    expect(mergeBranches([{ type: 'integer' }, { type: 'number' }])).toEqual({ type: 'number' });
  });
  it('anything else preserves unknown fields', () => {
    expect(mergeBranches([{ type: 'string' }, { type: 'boolean' }])).toEqual({ [P]: true });
    expect(mergeBranches([{ type: 'string' }, { type: 'object', properties: {} }])).toEqual({
      [P]: true,
    });
  });
  it('mergeUnion replaces anyOf/oneOf with the merged schema', () => {
    expect(
      mergeUnion({ description: 'd', oneOf: [{ type: 'integer' }, { type: 'number' }] }),
    ).toEqual({
      type: 'number',
      description: 'd',
    });
  });
  it('end to end: a discriminated union keeps every branch field', () => {
    const out = toStructuralSchema(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('git'), url: z.string() }),
        z.object({ kind: z.literal('pvc'), claimName: z.string() }),
      ]),
    );
    expect(out).toEqual({
      type: 'object',
      properties: {
        claimName: { type: 'string' },
        kind: { type: 'string', enum: ['git', 'pvc'] },
        url: { type: 'string' },
      },
      required: ['kind'],
    });
  });
});

describe('mergeAllOf', () => {
  it('folds compatible branches and keeps conflicting value validations as allOf', () => {
    expect(
      mergeAllOf({
        type: 'string',
        allOf: [
          { type: 'string', pattern: '^a' },
          { type: 'string', pattern: 'b$' },
        ],
      }),
    ).toEqual({ type: 'string', pattern: '^a', allOf: [{ pattern: 'b$' }] });
  });
  it('merges object properties and unions required', () => {
    expect(
      mergeAllOf({
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { type: 'object', properties: { b: { type: 'string' } }, required: ['b'] },
        ],
      }),
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      required: ['a', 'b'],
    });
  });
  it('end to end: two .regex() on one string', () => {
    expect(toStructuralSchema(z.string().regex(/^a/).regex(/b$/))).toEqual({
      type: 'string',
      pattern: '^a',
      allOf: [{ pattern: 'b$' }],
    });
  });
});

describe('never / not', () => {
  it('a z.never() property is not declared', () => {
    expect(
      dropNeverProperties({
        type: 'object',
        properties: { a: { not: {} }, b: { type: 'string' } },
        required: ['a', 'b'],
      }),
    ).toEqual({ type: 'object', properties: { b: { type: 'string' } }, required: ['b'] });
  });
  it('other `not` are dropped', () => {
    expect(dropNot({ type: 'string', not: { enum: ['x'] } })).toEqual({ type: 'string' });
  });
});

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
