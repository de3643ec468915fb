import { describe, expect, it } from 'vitest';
import { decodeChangeNotice, encodeChangeNotice } from './notification-payload.ts';

describe('change notices', () => {
  it('round-trip the session uid and the last seq', () => {
    expect(decodeChangeNotice(encodeChangeNotice('uid-1', 42))).toEqual({
      sessionUid: 'uid-1',
      last: 42,
    });
  });

  it('stay under the 8000-byte NOTIFY limit by dropping an oversized uid', () => {
    const payload = encodeChangeNotice('é'.repeat(5_000), 7);
    expect(Buffer.byteLength(payload)).toBeLessThan(8_000);
    expect(decodeChangeNotice(payload)).toEqual({ last: 7 });
  });

  it('read anything unexpected as "something changed, recheck everything"', () => {
    for (const payload of [undefined, '', 'not json', '42', '{"sessionUid":7}']) {
      expect(decodeChangeNotice(payload)).toEqual({ last: Number.POSITIVE_INFINITY });
    }
  });
});
