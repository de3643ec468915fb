/**
 * One dedicated LISTEN connection per adapter instance (never a pooled one: a pooled connection is
 * reused by other queries and LISTEN state would leak or be lost with it).
 *
 * A lost connection is re-opened with backoff; whatever was notified while it was down is gone, so
 * after re-LISTENing every subscriber gets `onReconnect` and catches up from its own cursor.
 */
import pg from 'pg';
import type { ClientConfig } from 'pg';
import { DEFAULT_BACKOFF, deferred, sleep } from './retry.ts';
import type { BackoffOptions, Deferred, ErrorReporter } from './retry.ts';

export interface NotificationHandlers {
  onNotification(payload: string | undefined): void;
  /** LISTEN is active again after a lost connection; notifications in between were lost. */
  onReconnect(): void;
}

export interface NotificationListenerOptions {
  connection: ClientConfig;
  channel: string;
  onError: ErrorReporter;
  /** Shown in pg_stat_activity, so operators (and tests) can tell the listener connections apart. */
  applicationName?: string;
  backoff?: BackoffOptions;
  /** A `SELECT 1` this often notices a connection that died without a FIN (TCP keepalive is slower). */
  heartbeatIntervalMs?: number;
}

const DEFAULT_HEARTBEAT_INTERVAL_MS = 15_000;

export class NotificationListener {
  readonly #options: NotificationListenerOptions;
  readonly #handlers = new Set<NotificationHandlers>();
  #client: pg.Client | undefined;
  #listening: Deferred = deferred();
  #started = false;
  #closed = false;
  #hasListened = false;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: NotificationListenerOptions) {
    this.#options = options;
  }

  /** Resolves once LISTEN is active on a live connection (connecting first if needed). */
  whenListening(): Promise<void> {
    this.#start();
    return this.#listening.promise;
  }

  subscribe(handlers: NotificationHandlers): () => void {
    this.#handlers.add(handlers);
    this.#start();
    return () => this.#handlers.delete(handlers);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#handlers.clear();
    clearInterval(this.#heartbeat);
    this.#listening.reject(new Error('the notification listener was closed'));
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  #start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    void this.#connectUntilListening();
  }

  async #connectUntilListening(): Promise<void> {
    const backoff = this.#options.backoff ?? DEFAULT_BACKOFF;
    let delayMs = backoff.initialDelayMs;
    while (!this.#closed) {
      const client = this.#newClient();
      try {
        await client.connect();
        await client.query(`LISTEN ${client.escapeIdentifier(this.#options.channel)}`);
        if (this.#closed) {
          await client.end();
          return;
        }
        this.#becomeListening(client);
        return;
      } catch (error) {
        await client.end().catch(() => undefined);
        if (this.#closed) return;
        this.#options.onError(error);
        await sleep(delayMs);
        delayMs = Math.min(delayMs * 2, backoff.maxDelayMs);
      }
    }
  }

  #newClient(): pg.Client {
    const client = new pg.Client({
      ...this.#options.connection,
      keepAlive: true,
      application_name: this.#options.applicationName ?? 'ambient-listener',
    });
    // Without an 'error' listener a dropped connection would crash the process.
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, undefined));
    client.on('notification', (message) => {
      if (client !== this.#client || message.channel !== this.#options.channel) return;
      for (const handlers of [...this.#handlers]) {
        this.#guard(() => handlers.onNotification(message.payload));
      }
    });
    return client;
  }

  #becomeListening(client: pg.Client): void {
    this.#client = client;
    this.#startHeartbeat(client);
    const isReconnect = this.#hasListened;
    this.#hasListened = true;
    this.#listening.resolve();
    if (isReconnect) {
      for (const handlers of [...this.#handlers]) this.#guard(() => handlers.onReconnect());
    }
  }

  #lost(client: pg.Client, error: Error | undefined): void {
    // Errors of a connection still being opened are handled by its connect loop.
    if (client !== this.#client || this.#closed) return;
    this.#client = undefined;
    clearInterval(this.#heartbeat);
    this.#options.onError(error ?? new Error('the LISTEN connection ended'));
    this.#listening = deferred();
    void client.end().catch(() => undefined);
    void this.#connectUntilListening();
  }

  #startHeartbeat(client: pg.Client): void {
    const intervalMs = this.#options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    this.#heartbeat = setInterval(() => {
      const timeout = setTimeout(
        () =>
          this.#lost(client, new Error(`the LISTEN connection did not answer in ${intervalMs} ms`)),
        intervalMs,
      );
      timeout.unref();
      client.query('SELECT 1').then(
        () => clearTimeout(timeout),
        (error: unknown) => {
          clearTimeout(timeout);
          this.#lost(client, error instanceof Error ? error : new Error(String(error)));
        },
      );
    }, intervalMs);
    // Background upkeep must not keep a finished process alive.
    this.#heartbeat.unref();
  }

  #guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.#options.onError(error);
    }
  }
}
