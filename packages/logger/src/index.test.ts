import { describe, expect, it } from 'vitest';
import { redactSecrets } from './index.ts';

describe('redactSecrets', () => {
  it.each([
    ['clone https://x-access-token:ghp_abc123@github.com/o/r.git', 'clone https://x-access-token:[redacted]@github.com/o/r.git'],
    ['https://ghp_abc123@github.com/o/r', 'https://[redacted]@github.com/o/r'],
    ['Authorization: Bearer abc.def-123', 'Authorization: Bearer [redacted]'],
    ['GET /x?token=abc&after=3', 'GET /x?token=[redacted]&after=3'],
    ['key sk-ant-api03-XYZ_1 leaked', 'key [redacted] leaked'],
    ['runner art1.eyJwIjoxfQ.c2ln used', 'runner [redacted] used'],
    ['glpat-abcdef in text', '[redacted] in text'],
  ])('redacts %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    expect(redactSecrets('https://github.com/o/r.git branch main')).toBe('https://github.com/o/r.git branch main');
  });
});
