import { describe, expect, it } from 'vitest';
import { describeError, redactSecrets } from './redact.ts';

describe('redactSecrets', () => {
  it.each([
    [
      'Unexpected server response: Authorization: Bearer art1.abc.def',
      'Authorization: Bearer [redacted]',
    ],
    ['headers {"x-api-key":"sk-ant-123","a":1}', '"x-api-key":"[redacted]"'],
    ['x-api-key: sk-ant-123 failed', 'x-api-key: [redacted] failed'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toContain(expected);
  });

  it('removes known secret values wherever they appear, but not short harmless words', () => {
    expect(redactSecrets('token art1.payload.sig leaked', ['art1.payload.sig'])).toBe(
      'token [redacted] leaked',
    );
    expect(redactSecrets('a dummy value', ['dummy'])).toBe('a dummy value');
  });

  it('describes thrown values with redaction', () => {
    expect(describeError(new Error('bad key sk-ant-very-secret'), ['sk-ant-very-secret'])).toBe(
      'bad key [redacted]',
    );
    expect(describeError('Bearer x.y.z')).toBe('Bearer [redacted]');
  });
});
