/**
 * Controller: N workers pulling keys from a WorkQueue and calling a level-triggered reconcile.
 * Errors retry with backoff; TerminalError does not retry; `requeueAfterMs` polls.
 */
import { randomUUID } from 'node:crypto';
import { WorkQueue } from './work-queue.ts';
import type { WorkQueueOptions } from './work-queue.ts';

export interface ReconcileResult {
  requeueAfterMs?: number;
}

export interface ReconcileContext {
  reconcileId: string;
}

export type Reconciler = (key: string, context: ReconcileContext) => Promise<ReconcileResult | void>;

const TERMINAL = Symbol.for('ambient.terminal-error');

/** An error that is logged but never retried (the input itself is wrong). */
export class TerminalError extends Error {
  readonly [TERMINAL] = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
  static isInstance(value: unknown): value is TerminalError {
    return typeof value === 'object' && value !== null && TERMINAL in value;
  }
}

export interface ControllerLogger {
  error(object: Record<string, unknown>, message: string): void;
  debug?(object: Record<string, unknown>, message: string): void;
}

/** Counters since the controller was made (for benches and metrics; never for decisions). */
export interface ControllerStats {
  reconciles: number;
  failures: number;
  /** Sum of reconcile durations: with N workers, up to N × wall time. */
  reconcileMs: number;
}

export interface ControllerOptions extends WorkQueueOptions {
  name: string;
  reconcile: Reconciler;
  workers?: number;
  logger?: ControllerLogger;
}

export class Controller {
  readonly queue: WorkQueue;
  private readonly workers: Promise<void>[] = [];
  private started = false;
  private readonly counters: ControllerStats = { reconciles: 0, failures: 0, reconcileMs: 0 };

  constructor(private readonly options: ControllerOptions) {
    this.queue = new WorkQueue(options);
  }

  stats(): ControllerStats {
    return { ...this.counters };
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const count = this.options.workers ?? 4;
    for (let index = 0; index < count; index += 1) this.workers.push(this.runWorker());
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all(this.workers);
  }

  private async runWorker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.processKey(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async processKey(key: string): Promise<void> {
    const reconcileId = randomUUID();
    const startedMs = performance.now();
    this.counters.reconciles += 1;
    try {
      const result = await this.options.reconcile(key, { reconcileId });
      this.queue.forget(key);
      if (result?.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      this.counters.failures += 1;
      const terminal = TerminalError.isInstance(error);
      this.options.logger?.error(
        { controller: this.options.name, key, reconcileId, err: error, terminal },
        'controller.reconcile_failed',
      );
      if (terminal) this.queue.forget(key);
      else this.queue.addRateLimited(key);
    } finally {
      this.counters.reconcileMs += performance.now() - startedMs;
    }
  }
}
