/** Parsing at the HTTP boundary: malformed JSON and schema violations both become clear 400s. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ValidationError } from '@ambient/core';
import { issuesOf } from './errors.ts';

export async function parseJsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let raw: unknown;
  try {
    const text = await c.req.text();
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ValidationError('the request body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError('the request body is invalid', issuesOf(parsed.error));
  }
  return parsed.data;
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(`${what} is invalid`, issuesOf(parsed.error));
  return parsed.data;
}
