/**
 * The EventLog contract: gapless seq per session, idempotent runner resends, gap rejection, the
 * folded summary, and follow (stored then live, each event exactly once).
 */
import { randomUUID } from 'node:crypto';
import type { SessionEvent } from '@ambient/contracts';
import { EMPTY_SUMMARY, foldSummary } from '@ambient/core';
import type { AppendInput, EventLog, Unsubscribe } from '@ambient/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, expectPlatformError } from './assertions.ts';
import type { TimingOptions } from './assertions.ts';
import { describeFollowContract } from './event-log-follow-contract.ts';
import { agUi, fromRunner, seqRange, seqsOf, textDeltas } from './fixtures.ts';

export interface EventLogHarness {
  log: EventLog;
  cleanup(): Promise<void>;
}

export interface EventLogContractOptions {
  timing?: Partial<TimingOptions>;
}

export function describeEventLogContract(
  name: string,
  makeLog: () => Promise<EventLogHarness>,
  options: EventLogContractOptions = {},
): void {
  describe(`EventLog contract: ${name}`, () => {
    const timing: TimingOptions = { ...DEFAULT_TIMING, ...options.timing };
    let harness: EventLogHarness | undefined;
    const stops: Unsubscribe[] = [];
    const log = (): EventLog => {
      if (!harness) throw new Error('the event log harness is only available inside a test');
      return harness.log;
    };
    beforeEach(async () => {
      harness = await makeLog();
    });
    afterEach(async () => {
      for (const stop of stops.splice(0)) stop();
      const current = harness;
      harness = undefined;
      await current?.cleanup();
    });
    const follow = (sessionUid: string, afterSeq: number): SessionEvent[] => {
      const received: SessionEvent[] = [];
      stops.push(log().follow(sessionUid, afterSeq, (events) => received.push(...events)));
      return received;
    };

    describe('append and read', () => {
      it('assigns gapless seqs from 1 and stores the events with their seq', async () => {
        const uid = randomUUID();
        const first = await log().append(uid, [
          { event: agUi.textStart('m1') },
          { event: agUi.textContent('m1', 'hi') },
        ]);
        expect(seqsOf(first.appended)).toEqual([1, 2]);
        expect(first.lastSeq).toBe(2);
        const second = await log().append(uid, [{ event: agUi.textEnd('m1') }]);
        expect(seqsOf(second.appended)).toEqual([3]);
        const stored = await log().read(uid);
        expect(stored).toEqual([
          { type: 'TEXT_MESSAGE_START', messageId: 'm1', role: 'assistant', seq: 1 },
          { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: 'hi', seq: 2 },
          { type: 'TEXT_MESSAGE_END', messageId: 'm1', seq: 3 },
        ]);
      });

      it('numbers each session independently', async () => {
        const [one, two] = [randomUUID(), randomUUID()];
        await log().append(one, [{ event: agUi.textContent('m1', 'a') }]);
        const result = await log().append(two, [{ event: agUi.textContent('m1', 'b') }]);
        expect(seqsOf(result.appended)).toEqual([1]);
        expect(await log().read(one)).toHaveLength(1);
      });

      it('reads after a seq, with a limit', async () => {
        const uid = randomUUID();
        await log().append(
          uid,
          textDeltas(10).map((event) => ({ event })),
        );
        expect(seqsOf(await log().read(uid, { afterSeq: 7 }))).toEqual([8, 9, 10]);
        expect(seqsOf(await log().read(uid, { afterSeq: 2, limit: 3 }))).toEqual([3, 4, 5]);
        expect(await log().read(uid, { afterSeq: 10 })).toEqual([]);
        expect(await log().read(randomUUID())).toEqual([]);
      });

      it('appends a large batch in order', async () => {
        const uid = randomUUID();
        const result = await log().append(uid, fromRunner(textDeltas(1_000), 1));
        expect(result.lastSeq).toBe(1_000);
        expect(result.lastProducerSeq).toBe(1_000);
        const stored = await log().read(uid);
        expect(seqsOf(stored)).toEqual(seqRange(1, 1_000));
        expect(stored[999]).toMatchObject({ delta: 'chunk 999 ', seq: 1_000 });
      });

      it('rejects an event that is not AG-UI', async () => {
        const uid = randomUUID();
        await expectPlatformError(
          log().append(uid, [
            { event: { type: 'NOT_AN_EVENT' } as unknown as AppendInput['event'] },
          ]),
          'bad_request',
        );
        expect(await log().read(uid)).toEqual([]);
      });
    });

    describe('runner producerSeq', () => {
      it('skips events it already holds, so resends are idempotent', async () => {
        const uid = randomUUID();
        await log().append(uid, fromRunner(textDeltas(3), 1));
        const resend = await log().append(uid, fromRunner(textDeltas(5), 1));
        expect(resend.appended.map((event) => event['delta'])).toEqual(['chunk 3 ', 'chunk 4 ']);
        expect(seqsOf(resend.appended)).toEqual([4, 5]);
        expect(resend).toMatchObject({ lastSeq: 5, lastProducerSeq: 5 });
        const again = await log().append(uid, fromRunner(textDeltas(5), 1));
        expect(again).toEqual({ appended: [], lastSeq: 5, lastProducerSeq: 5 });
        expect(seqsOf(await log().read(uid))).toEqual(seqRange(1, 5));
      });

      it('rejects a gap with a conflict and stores nothing of that call', async () => {
        const uid = randomUUID();
        await log().append(uid, fromRunner(textDeltas(3), 1));
        await expectPlatformError(
          log().append(uid, fromRunner(textDeltas(2, 'm2'), 5)),
          'conflict',
        );
        await expectPlatformError(
          log().append(uid, [
            ...fromRunner(textDeltas(1, 'm2'), 4),
            ...fromRunner(textDeltas(1, 'm3'), 6),
          ]),
          'conflict',
        );
        expect(seqsOf(await log().read(uid))).toEqual([1, 2, 3]);
        expect(await log().summary(uid)).toMatchObject({ lastSeq: 3, lastProducerSeq: 3 });
        const resumed = await log().append(uid, fromRunner(textDeltas(2, 'm2'), 4));
        expect(seqsOf(resumed.appended)).toEqual([4, 5]);
      });

      it('always appends platform events (no producerSeq) between runner events', async () => {
        const uid = randomUUID();
        await log().append(uid, fromRunner(textDeltas(2), 1));
        const platform = await log().append(uid, [{ event: agUi.runError('stopped by user') }]);
        expect(platform).toMatchObject({ lastSeq: 3, lastProducerSeq: 2 });
        const runner = await log().append(uid, fromRunner(textDeltas(1, 'm2'), 3));
        expect(runner).toMatchObject({ lastSeq: 4, lastProducerSeq: 3 });
      });
    });

    describe('summary', () => {
      it('is empty for an unknown session', async () => {
        expect(await log().summary(randomUUID())).toEqual(EMPTY_SUMMARY);
      });

      it('folds runs, the SDK session id and the last result', async () => {
        const uid = randomUUID();
        const result = { subtype: 'success', isError: false, numTurns: 3, totalCostUsd: 0.25 };
        await log().append(
          uid,
          fromRunner(
            [
              agUi.runStarted('run-1'),
              agUi.sdkSession('sdk-123'),
              agUi.textContent('m1', 'done'),
              agUi.runResult(result),
              agUi.runFinished('run-1'),
              agUi.runStarted('run-2'),
            ],
            1,
          ),
        );
        await log().append(uid, [{ event: agUi.runError('runner crashed') }]);
        const summary = await log().summary(uid);
        expect(summary).toMatchObject({
          lastSeq: 7,
          lastProducerSeq: 6,
          sdkSessionId: 'sdk-123',
          lastResult: result,
          runsStarted: 2,
          runsFinished: 2,
          lastRunError: 'runner crashed',
        });
        expect(Number.isNaN(Date.parse(summary.lastEventAt ?? ''))).toBe(false);

        await log().append(uid, [
          { event: agUi.runStarted('run-3') },
          { event: agUi.runFinished('run-3') },
        ]);
        const after = await log().summary(uid);
        expect(after).toMatchObject({ runsStarted: 3, runsFinished: 3 });
        expect(after.lastRunError).toBeUndefined();
      });

      it('equals folding the stored events one by one', async () => {
        const uid = randomUUID();
        const runnerEvents = [agUi.runStarted('r1'), ...textDeltas(5), agUi.runFinished('r1')];
        await log().append(uid, fromRunner(runnerEvents, 1));
        await log().append(uid, [{ event: agUi.runError('boom') }]);
        const summary = await log().summary(uid);
        const refolded = (await log().read(uid)).reduce(
          (folded, event, index) =>
            foldSummary(
              folded,
              event,
              event.seq,
              index < runnerEvents.length ? index + 1 : undefined,
              summary.lastEventAt ?? '',
            ),
          { ...EMPTY_SUMMARY },
        );
        // Through JSON: an adapter's summary has no undefined fields where the fold has them.
        expect(JSON.parse(JSON.stringify(refolded))).toEqual(summary);
      });
    });

    describeFollowContract({ log, follow, stops, timing });

    describe('deleteSession', () => {
      it('removes the events and the summary', async () => {
        const uid = randomUUID();
        const other = randomUUID();
        await log().append(uid, fromRunner([agUi.runStarted('run-1'), agUi.sdkSession('sdk')], 1));
        await log().append(other, [{ event: agUi.runStarted('run-1') }]);
        await log().deleteSession(uid);
        expect(await log().read(uid)).toEqual([]);
        expect(await log().summary(uid)).toEqual(EMPTY_SUMMARY);
        expect(await log().read(other)).toHaveLength(1);
      });
    });
  });
}
