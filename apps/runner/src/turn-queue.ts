/**
 * User messages waiting for their turn. The session driver feeds Claude Code one message per turn
 * (only after the previous turn's result), so that every message is exactly one AG-UI run; the CLI
 * would otherwise merge messages queued during a turn into one turn with one result.
 *
 * With a `persistPath` the waiting messages are kept in a file in the workspace: the server counts a
 * message as delivered once the runner has queued it, so a runner killed before the message's turn
 * began must find it again after a restart.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface UserTurn {
  /** AG-UI id of the echoed user message. */
  messageId: string;
  text: string;
}

export class TurnQueue {
  private readonly turns: UserTurn[] = [];
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: { persistPath?: string } = {}) {
    if (!options.persistPath) return;
    try {
      const saved = JSON.parse(readFileSync(options.persistPath, 'utf8')) as UserTurn[];
      for (const turn of saved) {
        if (typeof turn?.messageId === 'string' && typeof turn.text === 'string') this.turns.push(turn);
      }
    } catch {
      // No saved queue (first start) or an unreadable one: start empty.
    }
  }

  get size(): number {
    return this.turns.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues a turn; a message already waiting (same id, e.g. reloaded after a restart) is not added twice. */
  push(turn: UserTurn): void {
    if (this.closed) return;
    if (this.turns.some((waiting) => waiting.messageId === turn.messageId)) return;
    this.turns.push(turn);
    this.persist();
    this.wakeWaiter();
  }

  /** No more turns will be taken; `next` returns undefined from now on. */
  close(): void {
    this.closed = true;
    this.wakeWaiter();
  }

  /**
   * The next turn, or undefined once closed or once `signal` aborts. An aborted caller takes
   * nothing, so a prompt stream abandoned with its query never swallows a message.
   */
  async next(signal: AbortSignal): Promise<UserTurn | undefined> {
    for (;;) {
      if (this.closed || signal.aborted) return undefined;
      const turn = this.turns.shift();
      if (turn) {
        this.persist();
        return turn;
      }
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        signal.addEventListener('abort', onAbort, { once: true });
        this.wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Atomic rewrite (temp file + rename): a kill mid-write leaves the previous list intact. */
  private persist(): void {
    const path = this.options.persistPath;
    if (!path) return;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, JSON.stringify(this.turns));
    renameSync(`${path}.tmp`, path);
  }

  private wakeWaiter(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
