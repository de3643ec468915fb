/** JS regular expressions -> Go RE2 patterns (what the API server compiles for `pattern`). */

/** The pattern as Kubernetes (Go RE2) should see it: JS regex flags become inline flags. */
export function regexToPattern(regex: RegExp): string {
  const flags = [...regex.flags].filter((flag) => flag === 'i' || flag === 'm' || flag === 's');
  return flags.length > 0 ? `(?${flags.join('')})${regex.source}` : regex.source;
}

/**
 * A JS regex source as a Go RE2 pattern (what the API server compiles; a CRD whose pattern does
 * not compile is rejected). Named groups and \u escapes are rewritten; constructs RE2 lacks
 * (lookaround, backreferences, `[^]`, `\c`) make the pattern unusable -> undefined.
 */
export function toRe2Pattern(source: string): string | undefined {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === undefined) return undefined;
      if (/[1-9]/.test(next) && !inClass) return undefined; // backreference
      if (next === 'k' && source[i + 2] === '<') return undefined; // named backreference
      if (next === 'c') return undefined; // control escape
      if (next === 'u') {
        const braced = /^\{([0-9a-fA-F]+)\}/.exec(source.slice(i + 2));
        const plain = /^[0-9a-fA-F]{4}/.exec(source.slice(i + 2));
        if (braced) {
          out += `\\x{${braced[1]}}`;
          i += 2 + braced[0].length - 1;
          continue;
        }
        if (plain) {
          out += `\\x{${plain[0]}}`;
          i += 5;
          continue;
        }
        return undefined;
      }
      out += ch + next;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      if (source.startsWith('[^]', i)) return undefined;
      inClass = true;
      out += ch;
      // a leading ']' (or '^]') is a literal in both dialects
      continue;
    }
    if (ch === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2);
      if (/^(=|!|<=|<!)/.test(rest)) return undefined; // lookaround
      const named = /^<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        out += `(?P<${named[1]}>`;
        i += 1 + named[0].length;
        continue;
      }
    }
    out += ch;
  }
  return out;
}
