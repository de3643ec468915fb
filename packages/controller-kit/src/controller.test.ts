import { describe, expect, it } from 'vitest';
import { Controller, TerminalError } from './controller.ts';

function waitFor(predicate: () => boolean, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (predicate()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('timed out'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

describe('Controller', () => {
  it('retries failures with backoff until success, then forgets the failures', async () => {
    let calls = 0;
    const controller = new Controller({
      name: 'test',
      baseDelayMs: 5,
      reconcile: async () => {
        calls += 1;
        if (calls < 3) throw new Error('transient');
      },
    });
    controller.start();
    controller.enqueue('ns/a');
    await waitFor(() => calls === 3);
    expect(controller.queue.numFailures('ns/a')).toBe(0);
    await controller.stop();
  });

  it('does not retry a TerminalError', async () => {
    let calls = 0;
    const controller = new Controller({
      name: 'test',
      baseDelayMs: 1,
      reconcile: async () => {
        calls += 1;
        throw new TerminalError('bad input');
      },
    });
    controller.start();
    controller.enqueue('k');
    await waitFor(() => calls === 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(1);
    await controller.stop();
  });

  it('runs at most one reconcile per key at a time', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const controller = new Controller({
      name: 'test',
      workers: 4,
      reconcile: async () => {
        inFlight += 1;
        calls += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight -= 1;
      },
    });
    controller.start();
    for (let index = 0; index < 10; index += 1) {
      controller.enqueue('same');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await waitFor(() => inFlight === 0 && controller.queue.length === 0 && calls >= 2);
    expect(maxInFlight).toBe(1);
    await controller.stop();
  });

  it('requeues after the requested delay', async () => {
    let calls = 0;
    const controller = new Controller({
      name: 'test',
      reconcile: async () => {
        calls += 1;
        return calls < 2 ? { requeueAfterMs: 10 } : {};
      },
    });
    controller.start();
    controller.enqueue('k');
    await waitFor(() => calls === 2);
    await controller.stop();
  });

  it('counts reconciles and failures', async () => {
    let calls = 0;
    const controller = new Controller({
      name: 'test',
      baseDelayMs: 1,
      reconcile: async () => {
        calls += 1;
        if (calls === 1) throw new Error('transient');
      },
    });
    controller.start();
    controller.enqueue('k');
    await waitFor(() => calls === 2);
    await controller.stop();
    expect(controller.stats()).toMatchObject({ reconciles: 2, failures: 1 });
    expect(controller.stats().reconcileMs).toBeGreaterThanOrEqual(0);
  });
});
