/**
 * Secret hygiene for everything the runner writes to its log: the runner token, the model API key
 * and any `Bearer …` / `x-api-key` value must never reach stderr, events or status messages.
 */
const REDACTED = '[redacted]';
const BEARER_PATTERN = /(Bearer\s+)[^\s"',;]+/gi;
// Header-ish forms: `x-api-key: v`, `"x-api-key":"v"`, `x-api-key=v`.
const API_KEY_HEADER_PATTERN = /(x-api-key["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi;
/** Short values would redact innocent text (e.g. "dummy" everywhere); they are not real secrets. */
const MIN_LITERAL_SECRET_LENGTH = 8;

export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let redacted = text
    .replace(BEARER_PATTERN, `$1${REDACTED}`)
    .replace(API_KEY_HEADER_PATTERN, `$1${REDACTED}`);
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_LITERAL_SECRET_LENGTH)
      redacted = redacted.split(secret).join(REDACTED);
  }
  return redacted;
}

/** A message for an unknown thrown value, already redacted. */
export function describeError(
  error: unknown,
  secrets: readonly (string | undefined)[] = [],
): string {
  const message = error instanceof Error ? error.message : String(error);
  return redactSecrets(message, secrets);
}

/** Only the given literal values (no header patterns: agent output legitimately says "Bearer"). */
export function redactLiterals(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_LITERAL_SECRET_LENGTH)
      redacted = redacted.split(secret).join(REDACTED);
  }
  return redacted;
}

/**
 * An event with every occurrence of a secret replaced, e.g. a token the agent printed with `env`
 * in a Bash tool result. The JSON text is searched, so nested fields are covered; a secret that
 * JSON escapes (quotes, backslashes) is also searched in its escaped form.
 */
export function redactEvent<T>(event: T, secrets: readonly (string | undefined)[]): T {
  const literals = secrets.flatMap((secret) =>
    secret && secret.length >= MIN_LITERAL_SECRET_LENGTH
      ? [secret, JSON.stringify(secret).slice(1, -1)]
      : [],
  );
  if (literals.length === 0) return event;
  const text = JSON.stringify(event);
  if (!literals.some((literal) => text.includes(literal))) return event;
  return JSON.parse(redactLiterals(text, literals)) as T;
}
