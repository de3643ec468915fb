/**
 * The follow part of the EventLog contract (event-log-contract.ts): stored events after the cursor,
 * then live ones, each exactly once, however appends race the replay, and every follower with its
 * own copies of the events.
 */
import { randomUUID } from 'node:crypto';
import type { SessionEvent } from '@ambient/contracts';
import type { EventLog, Unsubscribe } from '@ambient/core';
import { describe, expect, it } from 'vitest';
import { sleep, waitForCount } from './assertions.ts';
import type { TimingOptions } from './assertions.ts';
import { agUi, fromRunner, seqRange, seqsOf, textDeltas } from './fixtures.ts';

export interface FollowContractContext {
  log(): EventLog;
  /** Follows a session for the rest of the test, collecting what it delivers. */
  follow(sessionUid: string, afterSeq: number): SessionEvent[];
  /** Unsubscribes the contract calls after each test (and a test may call early). */
  stops: Unsubscribe[];
  timing: TimingOptions;
}

export function describeFollowContract({
  log,
  follow,
  stops,
  timing,
}: FollowContractContext): void {
  describe('follow', () => {
    it('delivers the stored events after afterSeq, then live ones, each once', async () => {
      const uid = randomUUID();
      await log().append(uid, fromRunner(textDeltas(5), 1));
      const received = follow(uid, 2);
      await waitForCount(received, 3, 'stored events', timing);
      expect(seqsOf(received)).toEqual([3, 4, 5]);
      await log().append(uid, fromRunner(textDeltas(2, 'm2'), 6));
      await waitForCount(received, 5, 'live events', timing);
      expect(seqsOf(received)).toEqual([3, 4, 5, 6, 7]);
      expect(received[3]).toMatchObject({ type: 'TEXT_MESSAGE_CONTENT', messageId: 'm2' });
    });

    it('follows a session that has no events yet', async () => {
      const uid = randomUUID();
      const received = follow(uid, 0);
      await sleep(timing.quietPeriodMs);
      await log().append(uid, [{ event: agUi.runStarted('run-1') }]);
      await waitForCount(received, 1, 'the first event', timing);
      expect(received).toEqual([{ ...agUi.runStarted('run-1'), seq: 1 }]);
    });

    it('loses and repeats nothing when appends race the replay', async () => {
      const uid = randomUUID();
      await log().append(uid, fromRunner(textDeltas(1_200), 1));
      const received = follow(uid, 0);
      // Started without awaiting: these land while the stored events are being delivered.
      const racing = seqRange(0, 9).map((index) =>
        log().append(uid, [{ event: agUi.textContent('racing', `r${index}`) }]),
      );
      await Promise.all(racing);
      await waitForCount(received, 1_210, 'stored and racing events', timing);
      expect(seqsOf(received)).toEqual(seqRange(1, 1_210));
    });

    it('loses and repeats nothing when the listener itself appends', async () => {
      const uid = randomUUID();
      await log().append(uid, fromRunner(textDeltas(3), 1));
      const received: SessionEvent[] = [];
      let appendedFromListener = false;
      stops.push(
        log().follow(uid, 0, (events) => {
          received.push(...events);
          if (!appendedFromListener) {
            appendedFromListener = true;
            void log().append(uid, [{ event: agUi.textContent('m2', 'from the listener') }]);
          }
        }),
      );
      await waitForCount(received, 4, 'stored events and the one appended while following', timing);
      expect(seqsOf(received)).toEqual([1, 2, 3, 4]);
    });

    it('stops delivering after unsubscribe', async () => {
      const uid = randomUUID();
      const received = follow(uid, 0);
      await log().append(uid, [{ event: agUi.textContent('m1', 'one') }]);
      await waitForCount(received, 1, 'the first event', timing);
      for (const stop of stops.splice(0)) stop();
      await log().append(uid, [{ event: agUi.textContent('m1', 'two') }]);
      await sleep(timing.quietPeriodMs * 2);
      expect(seqsOf(received)).toEqual([1]);
    });

    it('gives each follower its own copies of live events', async () => {
      const uid = randomUUID();
      const mutating: SessionEvent[] = [];
      stops.push(
        log().follow(uid, 0, (events) => {
          for (const event of events) event['delta'] = 'mutated';
          mutating.push(...events);
        }),
      );
      const other = follow(uid, 0);
      await sleep(timing.quietPeriodMs); // adapters that listen for changes are listening by now
      const result = await log().append(uid, [{ event: agUi.textContent('m1', 'original') }]);
      await waitForCount(other, 1, 'the live event', timing);
      await waitForCount(mutating, 1, 'the live event', timing);
      expect(other[0]?.['delta']).toBe('original');
      expect(mutating[0]?.['delta']).toBe('mutated');
      expect(result.appended[0]?.['delta']).toBe('original');
    });
  });
}
