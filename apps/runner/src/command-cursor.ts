/**
 * The cursor of the last command this runner applied, kept in the workspace so that a restarted
 * runner does not apply a command twice when the server re-delivers one whose ack was lost.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class CommandCursorStore {
  private lastApplied: number;

  /** Undefined `filePath` keeps the cursor in memory only (the workspace is not writable). */
  constructor(private readonly filePath?: string) {
    this.lastApplied = filePath ? readCursor(filePath) : 0;
  }

  get lastAppliedCursor(): number {
    return this.lastApplied;
  }

  /** Written synchronously: it must be durable before the command's ack leaves. */
  save(cursor: number): void {
    if (cursor <= this.lastApplied) return;
    this.lastApplied = cursor;
    if (!this.filePath) return;
    mkdirSync(dirname(this.filePath), { recursive: true });
    const temporaryPath = `${this.filePath}.tmp`;
    writeFileSync(temporaryPath, JSON.stringify({ lastAppliedCursor: cursor }) + '\n');
    renameSync(temporaryPath, this.filePath);
  }
}

function readCursor(filePath: string): number {
  if (!existsSync(filePath)) return 0;
  try {
    const value: unknown = JSON.parse(readFileSync(filePath, 'utf8'));
    const cursor = (value as { lastAppliedCursor?: unknown } | null)?.lastAppliedCursor;
    return typeof cursor === 'number' && Number.isInteger(cursor) && cursor > 0 ? cursor : 0;
  } catch {
    return 0; // a corrupt file: the server's lastCommandCursor from welcome still protects us
  }
}
