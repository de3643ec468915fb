/**
 * Compacted prefixes (core/compaction.ts) per session uid, kept in memory and extended as runs
 * finish, so a reconnect to a 100,000-event session costs one `summary` call, not a replay.
 *
 * Freshness without scanning: the EventLog summary counts run ends (`runsFinished`); when it equals
 * the count this cache has folded, the cached prefix is current and nothing is read. Otherwise only
 * the events after the last compaction are read (in pages), the new finished runs are folded and
 * the in-progress tail is dropped again. The frames are serialised once, when they change, and
 * every reader shares those strings. Built only on the EventLog port (read + summary), so it works
 * with every adapter; each API server replica keeps its own cache (a cold replica pays one
 * replay per session, nothing more).
 */
import type { SessionEvent } from '@ambient/contracts';
import { SessionCompactor } from '@ambient/core';
import type { EventLog } from '@ambient/core';

/** An event serialised once for every stream that sends it. */
export interface EncodedEvent {
  seq: number;
  json: string;
}

export interface CompactedPrefix {
  /** C: the seq of the last run end covered (0: nothing compacted yet). */
  throughSeq: number;
  frames: readonly EncodedEvent[];
  /** Serialised size of the frames, in UTF-16 code units (close to bytes for this content). */
  size: number;
}

export interface CompactionCacheOptions {
  /** Sessions kept; the least recently used is dropped first. */
  maxSessions?: number;
  /** Approximate memory budget for all sessions (frames plus folded state, about twice the frames). */
  maxBytes?: number;
  /** Events per `read` while catching up. */
  pageSize?: number;
}

export const DEFAULT_CACHED_SESSIONS = 256;
export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;
export const DEFAULT_CACHE_PAGE_SIZE = 2_000;

/** Lets timers and I/O run (a microtask would not: adapters like SQLite read synchronously). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const EMPTY_PREFIX: CompactedPrefix = { throughSeq: 0, frames: [], size: 0 };

interface Entry {
  compactor: SessionCompactor;
  prefix: CompactedPrefix;
  /** Refreshes of one session run one at a time (they share the compactor). */
  queue: Promise<unknown>;
}

export function encodeEvent(event: SessionEvent): EncodedEvent {
  return { seq: event.seq, json: JSON.stringify(event) };
}

export class CompactionCache {
  readonly #events: EventLog;
  readonly #entries = new Map<string, Entry>();
  readonly #maxSessions: number;
  readonly #maxBytes: number;
  readonly #pageSize: number;
  #bytes = 0;

  constructor(events: EventLog, options: CompactionCacheOptions = {}) {
    this.#events = events;
    this.#maxSessions = options.maxSessions ?? DEFAULT_CACHED_SESSIONS;
    this.#maxBytes = options.maxBytes ?? DEFAULT_CACHE_BYTES;
    this.#pageSize = options.pageSize ?? DEFAULT_CACHE_PAGE_SIZE;
  }

  /** Sessions currently cached (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }

  /** The compacted frames for the session, current with every run the log has finished. */
  prefixFor(sessionUid: string): Promise<CompactedPrefix> {
    let entry = this.#entries.get(sessionUid);
    if (entry) {
      // Least recently used first: re-inserting moves the entry to the end of the map.
      this.#entries.delete(sessionUid);
      this.#entries.set(sessionUid, entry);
    } else {
      entry = { compactor: new SessionCompactor(), prefix: EMPTY_PREFIX, queue: Promise.resolve() };
      this.#entries.set(sessionUid, entry);
    }
    const current = entry;
    const result = current.queue.then(() => this.#refresh(sessionUid, current));
    current.queue = result.catch(() => undefined);
    return result;
  }

  /** Forgets a session (e.g. after it was deleted). */
  forget(sessionUid: string): void {
    const entry = this.#entries.get(sessionUid);
    if (!entry) return;
    this.#bytes -= weight(entry.prefix);
    this.#entries.delete(sessionUid);
  }

  async #refresh(sessionUid: string, entry: Entry): Promise<CompactedPrefix> {
    const summary = await this.#events.summary(sessionUid);
    if (summary.runsFinished < entry.compactor.finishedRuns || summary.lastSeq < entry.compactor.compactedThroughSeq) {
      // The log was deleted (and perhaps written again): what we folded no longer exists.
      entry.compactor = new SessionCompactor();
      this.#setPrefix(sessionUid, entry, EMPTY_PREFIX);
    }
    if (summary.runsFinished === entry.compactor.finishedRuns) return entry.prefix;
    const compactor = entry.compactor;
    for (;;) {
      const page = await this.#events.read(sessionUid, { afterSeq: compactor.lastSeenSeq, limit: this.#pageSize });
      compactor.push(page);
      if (page.length < this.#pageSize) break;
      // A cold replay of a long log must not hold the event loop: other streams go on between pages.
      await yieldToEventLoop();
    }
    // The run in progress is streamed raw from the log; holding it here would only cost memory.
    compactor.forgetPending();
    if (compactor.compactedThroughSeq !== entry.prefix.throughSeq) {
      const frames = compactor.prefix().map(encodeEvent);
      const size = frames.reduce((total, frame) => total + frame.json.length, 0);
      this.#setPrefix(sessionUid, entry, { throughSeq: compactor.compactedThroughSeq, frames, size });
    }
    this.#evict();
    return entry.prefix;
  }

  #setPrefix(sessionUid: string, entry: Entry, prefix: CompactedPrefix): void {
    // An entry evicted while it was refreshing still answers its waiters but no longer counts.
    if (this.#entries.get(sessionUid) === entry) this.#bytes += weight(prefix) - weight(entry.prefix);
    entry.prefix = prefix;
  }

  #evict(): void {
    while (this.#entries.size > 1 && (this.#entries.size > this.#maxSessions || this.#bytes > this.#maxBytes)) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) return;
      this.forget(oldest);
    }
  }
}

/** Frames plus the folded conversation they were made from: about twice the serialised size. */
function weight(prefix: CompactedPrefix): number {
  return prefix.size * 2;
}

const caches = new WeakMap<EventLog, CompactionCache>();

/** One cache per EventLog, shared by the SSE, WebSocket and history routes of a server. */
export function compactionCacheFor(events: EventLog): CompactionCache {
  let cache = caches.get(events);
  if (!cache) {
    cache = new CompactionCache(events);
    caches.set(events, cache);
  }
  return cache;
}
