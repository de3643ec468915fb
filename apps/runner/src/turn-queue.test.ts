import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TurnQueue } from './turn-queue.ts';

const turn = (text: string) => ({ messageId: text, text });

describe('TurnQueue', () => {
  it('hands out turns in order and waits for the next one', async () => {
    const queue = new TurnQueue();
    const signal = new AbortController().signal;
    queue.push(turn('a'));
    expect(await queue.next(signal)).toEqual(turn('a'));
    const waiting = queue.next(signal);
    queue.push(turn('b'));
    expect(await waiting).toEqual(turn('b'));
  });

  it('an aborted waiter takes nothing, so the next reader gets the message', async () => {
    const queue = new TurnQueue();
    const abandoned = new AbortController();
    const waiting = queue.next(abandoned.signal);
    abandoned.abort();
    expect(await waiting).toBeUndefined();
    queue.push(turn('a'));
    expect(await queue.next(new AbortController().signal)).toEqual(turn('a'));
  });

  it('close ends waiting readers and drops later pushes', async () => {
    const queue = new TurnQueue();
    const waiting = queue.next(new AbortController().signal);
    queue.close();
    expect(await waiting).toBeUndefined();
    queue.push(turn('late'));
    expect(queue.size).toBe(0);
  });

  it('keeps waiting messages in a file, so a restarted runner still has them, each once', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'turns-'));
    const path = join(directory, 'pending-turns.json');
    const first = new TurnQueue({ persistPath: path });
    first.push(turn('a'));
    first.push(turn('b'));
    expect(await first.next(new AbortController().signal)).toEqual(turn('a'));
    // The runner dies here: 'b' was acknowledged to the server but its turn never began.
    const restarted = new TurnQueue({ persistPath: path });
    restarted.push(turn('b'));
    expect(restarted.size).toBe(1);
    expect(await restarted.next(new AbortController().signal)).toEqual(turn('b'));
    expect(new TurnQueue({ persistPath: path }).size).toBe(0);
    rmSync(directory, { recursive: true, force: true });
  });
});
