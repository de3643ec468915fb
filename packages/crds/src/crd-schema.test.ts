import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  constToEnum,
  dropNeverProperties,
  dropNot,
  dropSafeIntegerBounds,
  inlineRefs,
  INT_OR_STRING,
  isNullBranch,
  mergeAllOf,
  mergeBranches,
  mergeUnion,
  normalizeExclusiveBounds,
  normalizeNullableUnion,
  normalizeTypeKeyword,
  PRESERVE_UNKNOWN,
  regexToPattern,
  toStructuralSchema,
  zodToOpenApi,
} from './crd-schema.ts';

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

