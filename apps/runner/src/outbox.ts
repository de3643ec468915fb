/**
 * The outbox: every event the runner produced and the server has not acknowledged yet, numbered
 * with a gapless `producerSeq`, kept in `<workspace>/.ambient/outbox.jsonl` so that neither a lost
 * connection nor a killed runner loses one.
 *
 * File format, one JSON object per line:
 *   {"producerSeq": n, "event": {...}}              an event
 *   {"ackedThrough": n, "lastProducerSeq": m}       the server holds every event up to n (m: counter)
 * Appends are buffered and written in batches (no fsync: the page cache survives a killed process,
 * which is the failure that matters here). An event is written before it is sent, so a restarted
 * runner never reuses a number the server has already seen. Once enough acknowledged lines pile up,
 * the file is rewritten with only the pending events (compaction).
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { AgUiEvent, RunnerEventEnvelope } from '@ambient/contracts';

export interface OutboxOptions {
  /** Undefined keeps events in memory only (the workspace is not writable). */
  filePath?: string;
  /** How long appends are buffered before they are written (default 5 ms). */
  flushDelayMs?: number;
  /** Rewrite the file once this many acknowledged lines are in it (default 1,000). */
  compactAfterAckedLines?: number;
  /** A failed write (disk full, workspace gone); the lines are kept and retried on the next flush. */
  onWriteError?: (error: unknown) => void;
}

const DEFAULT_FLUSH_DELAY_MS = 5;
const DEFAULT_COMPACT_AFTER_ACKED_LINES = 1_000;

interface LoadedState {
  pending: RunnerEventEnvelope[];
  ackedThrough: number;
  lastProducerSeq: number;
}

export class Outbox {
  /** Called after every append, so the channel can schedule a send. */
  onAppend: (() => void) | undefined;
  private pendingEvents: RunnerEventEnvelope[];
  private ackedThrough: number;
  private lastSeq: number;
  /** Highest producerSeq that may have reached a server (everything from an earlier process may have). */
  private sentHighWater: number;
  private unwrittenLines: string[] = [];
  private ackedLinesInFile = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly flushDelayMs: number;
  private readonly compactAfterAckedLines: number;

  constructor(private readonly options: OutboxOptions = {}) {
    this.flushDelayMs = options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS;
    this.compactAfterAckedLines =
      options.compactAfterAckedLines ?? DEFAULT_COMPACT_AFTER_ACKED_LINES;
    const loaded = options.filePath
      ? loadFile(options.filePath)
      : { pending: [], ackedThrough: 0, lastProducerSeq: 0 };
    this.pendingEvents = loaded.pending;
    this.ackedThrough = loaded.ackedThrough;
    this.lastSeq = loaded.lastProducerSeq;
    this.sentHighWater = loaded.lastProducerSeq;
    // Start from a clean file: this also drops a line half-written by a killed process.
    this.compact();
  }

  get lastProducerSeq(): number {
    return this.lastSeq;
  }

  get pendingCount(): number {
    return this.pendingEvents.length;
  }

  /** Numbers the event and queues it for the file and the channel. */
  append(event: AgUiEvent): RunnerEventEnvelope {
    const envelope: RunnerEventEnvelope = { producerSeq: ++this.lastSeq, event };
    this.pendingEvents.push(envelope);
    this.writeLater(JSON.stringify(envelope));
    this.onAppend?.();
    return envelope;
  }

  /** Unacknowledged events with producerSeq > afterSeq, oldest first, at most `limit`. */
  pendingAfter(afterSeq: number, limit: number = Number.POSITIVE_INFINITY): RunnerEventEnvelope[] {
    const start = this.firstIndexAfter(afterSeq);
    return this.pendingEvents.slice(start, start + Math.min(limit, this.pendingEvents.length));
  }

  markSent(producerSeq: number): void {
    this.sentHighWater = Math.max(this.sentHighWater, producerSeq);
  }

  /** The server holds every event up to `producerSeq`. */
  acknowledge(producerSeq: number): void {
    if (producerSeq <= this.ackedThrough) return;
    this.ackedThrough = producerSeq;
    const removed = this.pendingEvents.splice(0, this.firstIndexAfter(producerSeq)).length;
    this.ackedLinesInFile += removed + 1;
    this.writeLater(
      JSON.stringify({ ackedThrough: this.ackedThrough, lastProducerSeq: this.lastSeq }),
    );
    if (this.ackedLinesInFile >= this.compactAfterAckedLines) this.compact();
  }

  /**
   * Applies the server's `welcome`. Normally the server holds at most what we sent. If it holds more
   * (this runner lost its outbox, or wrote an event's send but not its line), the numbers up to
   * `serverLastProducerSeq` are taken: events never sent are renumbered after it, so none is
   * mistaken for a duplicate and dropped, and the sequence stays gapless.
   */
  reconcile(serverLastProducerSeq: number): void {
    if (serverLastProducerSeq > this.sentHighWater) {
      let next = serverLastProducerSeq;
      this.pendingEvents = this.pendingEvents.map((envelope) =>
        envelope.producerSeq > this.sentHighWater
          ? { producerSeq: ++next, event: envelope.event }
          : envelope,
      );
      this.lastSeq = Math.max(next, serverLastProducerSeq);
      this.acknowledge(serverLastProducerSeq);
      this.compact();
      return;
    }
    this.acknowledge(serverLastProducerSeq);
  }

  /**
   * Writes buffered lines now (before sending them, and before exit). Never throws: events are
   * still delivered from memory when the disk fails, which beats stalling the session.
   */
  flush(): boolean {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (!this.options.filePath || this.unwrittenLines.length === 0) return true;
    try {
      appendFileSync(this.options.filePath, this.unwrittenLines.join('\n') + '\n');
      this.unwrittenLines = [];
      return true;
    } catch (error) {
      this.options.onWriteError?.(error);
      return false;
    }
  }

  close(): void {
    this.flush();
  }

  /** Pending events are sorted by producerSeq: binary search, so a large backlog stays cheap. */
  private firstIndexAfter(producerSeq: number): number {
    let low = 0;
    let high = this.pendingEvents.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.pendingEvents[middle]!.producerSeq <= producerSeq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private writeLater(line: string): void {
    if (!this.options.filePath) return;
    this.unwrittenLines.push(line);
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.flushDelayMs);
  }

  /** Rewrites the file as: one state line, then the pending events (atomic via rename). */
  private compact(): void {
    const filePath = this.options.filePath;
    if (!filePath) return;
    const lines = [
      JSON.stringify({ ackedThrough: this.ackedThrough, lastProducerSeq: this.lastSeq }),
      ...this.pendingEvents.map((envelope) => JSON.stringify(envelope)),
    ];
    try {
      mkdirSync(dirname(filePath), { recursive: true });
      const temporaryPath = `${filePath}.tmp`;
      writeFileSync(temporaryPath, lines.join('\n') + '\n');
      renameSync(temporaryPath, filePath);
    } catch (error) {
      this.options.onWriteError?.(error); // the old file plus unwritten lines stay valid
      return;
    }
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.unwrittenLines = [];
    this.ackedLinesInFile = 0;
  }
}

function loadFile(filePath: string): LoadedState {
  const state: LoadedState = { pending: [], ackedThrough: 0, lastProducerSeq: 0 };
  if (!existsSync(filePath)) return state;
  const events = new Map<number, RunnerEventEnvelope>();
  for (const line of readFileSync(filePath, 'utf8').split('\n')) {
    const record = parseLine(line);
    if (!record) continue; // empty, or cut short by a kill mid-write
    if (typeof record['producerSeq'] === 'number' && isObject(record['event'])) {
      const producerSeq = record['producerSeq'];
      events.set(producerSeq, { producerSeq, event: record['event'] as AgUiEvent });
      state.lastProducerSeq = Math.max(state.lastProducerSeq, producerSeq);
    }
    if (typeof record['ackedThrough'] === 'number')
      state.ackedThrough = Math.max(state.ackedThrough, record['ackedThrough']);
    if (typeof record['lastProducerSeq'] === 'number') {
      state.lastProducerSeq = Math.max(state.lastProducerSeq, record['lastProducerSeq']);
    }
  }
  state.pending = [...events.values()]
    .filter((envelope) => envelope.producerSeq > state.ackedThrough)
    .sort((left, right) => left.producerSeq - right.producerSeq);
  return state;
}

function parseLine(line: string): Record<string, unknown> | undefined {
  if (!line.trim()) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
