import { describe, expect, it } from 'vitest';
import { toStorableJson } from './storable-json.ts';

describe('toStorableJson', () => {
  it('leaves ordinary text, escaped backslashes and surrogate pairs alone', () => {
    const value = { text: 'é 漢 \ud83d\ude00 quote" back\\u0000slash \n', count: 3 };
    expect(toStorableJson(value)).toEqual({ json: JSON.stringify(value), replaced: false });
  });

  it('replaces U+0000 and lone surrogates with U+FFFD', () => {
    const { json, replaced } = toStorableJson({ text: 'a\u0000b \ud800 \udfff c\\\u0000' });
    expect(replaced).toBe(true);
    expect(JSON.parse(json)).toEqual({ text: 'a\ufffdb \ufffd \ufffd c\\\ufffd' });
  });
});
