import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkQueue } from './work-queue.ts';

describe('WorkQueue', () => {
  afterEach(() => vi.useRealTimers());

  it('deduplicates keys that are waiting', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    queue.add('a');
    queue.add('b');
    expect(queue.length).toBe(2);
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBe('b');
  });

  it('never hands out a key that is being processed; re-queues it after done', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    const first = await queue.get();
    queue.add('a');
    expect(queue.length).toBe(0);
    queue.done(first!);
    expect(queue.length).toBe(1);
    expect(await queue.get()).toBe('a');
  });

  it('wakes a waiting consumer when a key arrives', async () => {
    const queue = new WorkQueue();
    const pending = queue.get();
    queue.add('x');
    expect(await pending).toBe('x');
  });

  it('backs off exponentially per key and resets on forget', () => {
    const queue = new WorkQueue({ baseDelayMs: 100, maxDelayMs: 1_000 });
    expect(queue.backoffDelayMs(1)).toBe(100);
    expect(queue.backoffDelayMs(2)).toBe(200);
    expect(queue.backoffDelayMs(5)).toBe(1_000);
    queue.addRateLimited('k');
    queue.addRateLimited('k');
    expect(queue.numFailures('k')).toBe(2);
    queue.forget('k');
    expect(queue.numFailures('k')).toBe(0);
    queue.shutDown();
  });

  it('adds after a delay, and a shorter delay wins', async () => {
    vi.useFakeTimers();
    const queue = new WorkQueue();
    queue.addAfter('k', 1_000);
    queue.addAfter('k', 100);
    vi.advanceTimersByTime(150);
    expect(queue.length).toBe(1);
    vi.advanceTimersByTime(2_000);
    expect(queue.length).toBe(1);
  });

  it('releases waiting consumers on shutdown', async () => {
    const queue = new WorkQueue();
    const pending = queue.get();
    queue.shutDown();
    expect(await pending).toBeUndefined();
  });
});
