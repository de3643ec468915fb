/**
 * JSONB cannot hold the character U+0000 nor a lone UTF-16 surrogate (JSON.stringify writes both as
 * `\uXXXX` escapes, which PostgreSQL rejects). Rejecting the append would wedge a runner that keeps
 * resending the same event, so such characters are stored as U+FFFD, the Unicode replacement
 * character. Everything else round-trips exactly (key order aside: JSONB sorts object keys).
 */

// An escape preceded by an even number of backslashes is a real escape, not escaped text.
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi;

export interface StorableJson {
  json: string;
  /** True when characters had to be replaced, so the caller re-parses to return what is stored. */
  replaced: boolean;
}

export function toStorableJson(value: unknown): StorableJson {
  const json = JSON.stringify(value);
  // Lone surrogates only ever appear escaped: JSON.stringify writes well-formed pairs verbatim.
  const cleaned = json.replace(UNSTORABLE_ESCAPE, '$1\\ufffd');
  return { json: cleaned, replaced: cleaned !== json };
}
