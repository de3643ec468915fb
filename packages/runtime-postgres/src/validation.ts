/** Input checks shared by both adapters; the same rules and messages as the SQLite adapters. */
import { agUiEventSchema } from '@ambient/contracts';
import { ValidationError } from '@ambient/core';
import type { AppendInput } from '@ambient/core';

export function requireSessionUid(sessionUid: string): void {
  if (typeof sessionUid !== 'string' || sessionUid.length === 0) {
    throw new ValidationError('a session uid is required');
  }
}

export function requireNonNegativeInteger(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new ValidationError(`${field} must be a non-negative integer, got ${value}`);
  }
}

/** Checked before the transaction: a malformed input must not be mistaken for a producerSeq gap. */
export function validateInput(input: AppendInput, index: number): void {
  const { producerSeq } = input;
  if (producerSeq !== undefined && (!Number.isInteger(producerSeq) || producerSeq < 1)) {
    throw new ValidationError(`inputs[${index}].producerSeq must be a positive integer`);
  }
  const parsed = agUiEventSchema.safeParse(input.event);
  if (!parsed.success) {
    throw new ValidationError(
      `inputs[${index}].event is not a valid AG-UI event`,
      parsed.error.issues,
    );
  }
}
