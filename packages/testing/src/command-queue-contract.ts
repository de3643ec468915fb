/** The CommandQueue contract: per-session cursors from 1, readAfter, monotonic acknowledgement. */
import { randomUUID } from 'node:crypto';
import type { RunnerCommand } from '@ambient/contracts';
import type { CommandQueue, Unsubscribe } from '@ambient/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, expectPlatformError, sleep, waitUntil } from './assertions.ts';
import type { TimingOptions } from './assertions.ts';

export interface CommandQueueHarness {
  queue: CommandQueue;
  cleanup(): Promise<void>;
}

export interface CommandQueueContractOptions {
  timing?: Partial<TimingOptions>;
}

const message = (text: string): RunnerCommand => ({
  kind: 'user_message',
  messageId: `msg-${text}`,
  text,
});

export function describeCommandQueueContract(
  name: string,
  makeQueue: () => Promise<CommandQueueHarness>,
  options: CommandQueueContractOptions = {},
): void {
  describe(`CommandQueue contract: ${name}`, () => {
    const timing: TimingOptions = { ...DEFAULT_TIMING, ...options.timing };
    let harness: CommandQueueHarness | undefined;
    const stops: Unsubscribe[] = [];
    const queue = (): CommandQueue => {
      if (!harness) throw new Error('the command queue harness is only available inside a test');
      return harness.queue;
    };
    beforeEach(async () => {
      harness = await makeQueue();
    });
    afterEach(async () => {
      for (const stop of stops.splice(0)) stop();
      const current = harness;
      harness = undefined;
      await current?.cleanup();
    });

    it('numbers commands per session from 1', async () => {
      const [one, two] = [randomUUID(), randomUUID()];
      expect(await queue().push(one, message('a'))).toBe(1);
      expect(await queue().push(one, { kind: 'interrupt' })).toBe(2);
      expect(await queue().push(two, { kind: 'stop', reason: 'user' })).toBe(1);
      expect(await queue().push(one, message('b'))).toBe(3);
    });

    it('reads the commands after a cursor, oldest first', async () => {
      const uid = randomUUID();
      await queue().push(uid, message('a'));
      await queue().push(uid, { kind: 'interrupt' });
      await queue().push(uid, message('b'));
      expect(await queue().readAfter(uid, 0)).toEqual([
        { cursor: 1, command: message('a') },
        { cursor: 2, command: { kind: 'interrupt' } },
        { cursor: 3, command: message('b') },
      ]);
      expect(await queue().readAfter(uid, 2)).toEqual([{ cursor: 3, command: message('b') }]);
      expect(await queue().readAfter(uid, 3)).toEqual([]);
      expect(await queue().readAfter(randomUUID(), 0)).toEqual([]);
    });

    it('acknowledges monotonically', async () => {
      const uid = randomUUID();
      expect(await queue().lastAcknowledged(uid)).toBe(0);
      for (const text of ['a', 'b', 'c']) await queue().push(uid, message(text));
      await queue().acknowledge(uid, 2);
      expect(await queue().lastAcknowledged(uid)).toBe(2);
      await queue().acknowledge(uid, 1);
      expect(await queue().lastAcknowledged(uid)).toBe(2);
      expect(await queue().readAfter(uid, 2)).toEqual([{ cursor: 3, command: message('c') }]);
      await queue().acknowledge(uid, 3);
      expect(await queue().lastAcknowledged(uid)).toBe(3);
      expect(await queue().push(uid, message('d'))).toBe(4);
    });

    it('rejects acknowledging a cursor that was never pushed', async () => {
      const uid = randomUUID();
      await queue().push(uid, message('a'));
      await expectPlatformError(queue().acknowledge(uid, 2), 'bad_request');
      expect(await queue().lastAcknowledged(uid)).toBe(0);
    });

    it('rejects a command that is not a runner command', async () => {
      await expectPlatformError(
        queue().push(randomUUID(), { kind: 'reboot' } as unknown as RunnerCommand),
        'bad_request',
      );
    });

    it('notifies push listeners of their session only, until unsubscribed', async () => {
      const [watched, other] = [randomUUID(), randomUUID()];
      let notified = 0;
      const stop = queue().onPush(watched, () => {
        notified += 1;
      });
      stops.push(stop);
      await queue().push(other, message('elsewhere'));
      await queue().push(watched, message('here'));
      await waitUntil(() => notified === 1, 'one push notification', timing);
      stop();
      await queue().push(watched, message('after'));
      await sleep(timing.quietPeriodMs * 2);
      expect(notified).toBe(1);
    });

    it('forgets a deleted session', async () => {
      const uid = randomUUID();
      await queue().push(uid, message('a'));
      await queue().push(uid, message('b'));
      await queue().acknowledge(uid, 1);
      await queue().deleteSession(uid);
      expect(await queue().readAfter(uid, 0)).toEqual([]);
      expect(await queue().lastAcknowledged(uid)).toBe(0);
    });
  });
}
