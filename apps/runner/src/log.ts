/**
 * The runner's own log: one line per entry on stderr (stdout stays free for whoever spawns us).
 * Every line goes through redaction, so callers can log errors without thinking about secrets.
 */
import { redactSecrets } from './redact.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(options: {
  secrets?: readonly (string | undefined)[];
  minimumLevel?: LogLevel;
  write?: (line: string) => void;
}): Logger {
  const secrets = options.secrets ?? [];
  const minimum = LEVEL_ORDER[options.minimumLevel ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const log = (level: LogLevel) => (message: string) => {
    if (LEVEL_ORDER[level] < minimum) return;
    write(`${new Date().toISOString()} ${level} runner: ${redactSecrets(message, secrets)}`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A logger that also redacts `secrets` (for values known only after the logger was made). */
export function withRedaction(log: Logger, secrets: readonly (string | undefined)[]): Logger {
  const redact = (message: string) => redactSecrets(message, secrets);
  return {
    debug: (message) => log.debug(redact(message)),
    info: (message) => log.info(redact(message)),
    warn: (message) => log.warn(redact(message)),
    error: (message) => log.error(redact(message)),
  };
}
