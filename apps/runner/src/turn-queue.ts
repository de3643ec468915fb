/**
 * User messages waiting for their turn. The session driver feeds Claude Code one message per turn
 * (only after the previous turn's result), so that every message is exactly one AG-UI run; the CLI
 * would otherwise merge messages queued during a turn into one turn with one result.
 */
export interface UserTurn {
  /** AG-UI id of the echoed user message. */
  messageId: string;
  text: string;
}

export class TurnQueue {
  private readonly turns: UserTurn[] = [];
  private closed = false;
  private wake: (() => void) | undefined;

  get size(): number {
    return this.turns.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  push(turn: UserTurn): void {
    if (this.closed) return;
    this.turns.push(turn);
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
      if (turn) return turn;
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

  private wakeWaiter(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
