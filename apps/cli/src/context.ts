/** What every command gets: where to write, the environment, the clock and the API client. */
import { createClient } from '@ambient/client';
import type { AmbientClient } from '@ambient/client';
import { resolveConnection } from './config.ts';
import type { Output } from './output.ts';

export interface CliContext {
  output: Output;
  environment: NodeJS.ProcessEnv;
  now(): Date;
  /** The client for the configured platform; throws "not logged in" when there is none. */
  client(): AmbientClient;
  /**
   * A signal aborted by Ctrl-C. Only long-running commands ask for it: asking replaces Node's
   * default (die at once) with a clean stop, so quick commands keep the default.
   */
  interruptSignal(): AbortSignal;
  /** The exit code the process ends with when the command returns normally. */
  exitCode: number;
}

export function createContext(output: Output, environment: NodeJS.ProcessEnv): CliContext {
  let client: AmbientClient | undefined;
  let interrupt: AbortController | undefined;
  return {
    output,
    environment,
    now: () => new Date(),
    client() {
      if (!client) {
        const connection = resolveConnection(environment);
        client = createClient({ baseUrl: connection.url, token: connection.token });
      }
      return client;
    },
    interruptSignal() {
      if (!interrupt) {
        const controller = new AbortController();
        interrupt = controller;
        process.on('SIGINT', () => {
          // A second Ctrl-C means "now": do not wait for the clean stop.
          if (controller.signal.aborted) process.exit(130);
          controller.abort();
        });
      }
      return interrupt.signal;
    },
    exitCode: 0,
  };
}
