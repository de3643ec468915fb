/**
 * Structured logging (pino) with secrets redacted by construction: authorization headers, tokens
 * and API keys are censored by path, and any string logged goes through `redactSecrets` first where
 * callers build messages from untrusted text (URLs with credentials, error messages).
 */
import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-forwarded-access-token"]',
  'req.headers.cookie',
  'headers.authorization',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'env.ANTHROPIC_API_KEY',
  'env.AMBIENT_RUNNER_TOKEN',
  'secretEnv',
  '*.secretEnv',
];

export function createLogger(name: string, options: { level?: string } = {}): Logger {
  return pino({
    name,
    level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  });
}

const SECRET_PATTERNS: [RegExp, string][] = [
  // https://user:token@host → https://user:[redacted]@host (git remotes with embedded credentials)
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s/]+@/gi, '$1[redacted]@'],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+@/gi, '$1[redacted]@'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]'],
  [/\b(token|access_token|api_key|apikey|password)=([^&\s]+)/gi, '$1=[redacted]'],
  [/\bsk-ant-[A-Za-z0-9_-]+/g, '[redacted]'],
  [/\b(ghp|gho|ghs|ghu|github_pat|glpat)[-_][A-Za-z0-9_-]+/g, '[redacted]'],
  [/\bart1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[redacted]'],
  // Workspace viewer credentials (core/workspace-viewer-token.ts).
  [/\bawv1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[redacted]'],
];

/** Removes credentials from free text (URLs, headers, known token formats). */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}
