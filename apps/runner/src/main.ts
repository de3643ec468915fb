/**
 * Entry point of the runner process (one per running session):
 *   node --import tsx apps/runner/src/main.ts
 * with the RUNNER_ENV variables set and cwd = the session workspace. Exits with a RUNNER_EXIT code.
 * Wiring only; the logic lives in runner.ts.
 */
import { RUNNER_EXIT } from '@ambient/contracts';
import { createLogger } from './log.ts';
import { describeError } from './redact.ts';
import { runRunner } from './runner.ts';

const secrets = [process.env['AMBIENT_RUNNER_TOKEN'], process.env['ANTHROPIC_API_KEY']];
const log = createLogger({ secrets });

// A bug must end the process with a clear (and redacted) message, not a stack full of env values.
process.on('uncaughtException', (error) => {
  log.error(`uncaught exception: ${describeError(error, secrets)}`);
  process.exit(RUNNER_EXIT.crash);
});
process.on('unhandledRejection', (reason) => {
  log.error(`unhandled rejection: ${describeError(reason, secrets)}`);
  process.exit(RUNNER_EXIT.crash);
});

const code = await runRunner({ env: process.env, signals: process, log });
process.exit(code);
