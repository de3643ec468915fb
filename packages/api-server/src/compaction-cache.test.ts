/**
 * The compaction cache over the real SQLite event log: it reads nothing while no run finished,
 * only the new events when one did, starts over when the log was deleted, and serialises
 * concurrent refreshes of one session.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventLog, ReadOptions } from '@ambient/core';
import { compactEvents } from '@ambient/core';
import { scriptRun, scriptSession } from '@ambient/core/test-support/session-script';
import { CompactionCache } from './compaction-cache.ts';
import { createTestDeps } from './test-support/embedded-deps.ts';

/** The real log, with every read recorded. */
function recordingLog(log: EventLog): { log: EventLog; reads: ReadOptions[] } {
  const reads: ReadOptions[] = [];
  return {
    reads,
    log: {
      append: (uid, inputs) => log.append(uid, inputs),
      read: (uid, options) => {
        reads.push({ ...options });
        return log.read(uid, options);
      },
      summary: (uid) => log.summary(uid),
      follow: (uid, afterSeq, onEvents) => log.follow(uid, afterSeq, onEvents),
      deleteSession: (uid) => log.deleteSession(uid),
    },
  };
}

describe('CompactionCache', () => {
  let close: () => void;
  let events: EventLog;
  let reads: ReadOptions[];
  let cache: CompactionCache;

  beforeEach(() => {
    const created = createTestDeps();
    close = created.close;
    ({ log: events, reads } = recordingLog(created.deps.events));
    cache = new CompactionCache(events, { pageSize: 50 });
  });
  afterEach(() => close());

  const session = scriptSession('s1', [
    { runId: 'r1', user: 'one', reply: 'first answer', tools: [{ name: 'Bash', input: { command: 'ls' }, result: 'a b' }], deltaLength: 1 },
    { runId: 'r2', user: 'two', reply: 'second answer', deltaLength: 1 },
    { runId: 'r3', user: 'three', reply: 'in progress', end: 'open' },
  ]);
  const append = (uid: string, list: { type: string }[]) =>
    events.append(uid, list.map((event) => ({ event: { ...event, seq: undefined } as never })));

  it('compacts once, reads nothing while no run finished, then only the events after the last compaction', async () => {
    await append('u1', session);
    const first = await cache.prefixFor('u1');
    const expected = compactEvents(session).filter((event) => event.seq <= first.throughSeq);
    expect(first.frames.map((frame) => JSON.parse(frame.json))).toEqual(expected);
    expect(reads.length).toBeGreaterThan(1); // paged
    reads.length = 0;

    await append('u1', scriptRun('s1', { runId: 'r3b', reply: 'still going', end: 'open' }).slice(1, 3));
    expect(await cache.prefixFor('u1')).toBe(first);
    expect(reads).toEqual([]);

    const before = first.throughSeq;
    await append('u1', scriptRun('s1', { runId: 'r4', user: 'four', reply: 'done' }));
    const second = await cache.prefixFor('u1');
    expect(second.throughSeq).toBeGreaterThan(before);
    expect(reads[0]).toEqual({ afterSeq: before, limit: 50 });
    const all = await events.read('u1');
    expect(second.frames.map((frame) => JSON.parse(frame.json))).toEqual(compactEvents(all).filter((event) => event.seq <= second.throughSeq));
  });

  it('starts over when the log was deleted and written again', async () => {
    await append('u1', session);
    expect((await cache.prefixFor('u1')).throughSeq).toBeGreaterThan(0);
    await events.deleteSession('u1');
    expect(await cache.prefixFor('u1')).toMatchObject({ throughSeq: 0, frames: [] });
    const fresh = scriptSession('s1', [{ runId: 'x', user: 'again', reply: 'ok' }]);
    await append('u1', fresh);
    const prefix = await cache.prefixFor('u1');
    expect(prefix.frames.map((frame) => JSON.parse(frame.json))).toEqual(compactEvents(fresh));
  });

  it('serves concurrent readers of one session from one refresh', async () => {
    await append('u1', session);
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.prefixFor('u1')));
    expect(new Set(results).size).toBe(1);
    const pagesOfOneReplay = Math.ceil(session.length / 50);
    expect(reads.length).toBeLessThanOrEqual(pagesOfOneReplay + 1);
  });

  it('keeps at most maxSessions, dropping the least recently used', async () => {
    const small = new CompactionCache(events, { maxSessions: 2 });
    for (const uid of ['a', 'b', 'c']) {
      await append(uid, session);
      await small.prefixFor(uid);
    }
    expect(small.size).toBe(2);
  });
});
