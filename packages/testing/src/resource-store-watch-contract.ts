/** ResourceStore contract, part 4: watch (replay from a version, then live, exactly once). */
import { AgenticSessionKind } from '@ambient/contracts';
import type { AgenticSession } from '@ambient/contracts';
import type { Unsubscribe, WatchEvent } from '@ambient/core';
import { afterEach, describe, expect, it } from 'vitest';
import { expectPlatformErrorSync, sleep, waitForCount, versionNumber } from './assertions.ts';
import { newSession } from './fixtures.ts';
import type {
  ResourceStoreContext,
  ResourceStoreContractOptions,
} from './resource-store-harness.ts';

type SessionWatchEvent = WatchEvent<AgenticSession>;

/** "TYPE name" per event: compact to compare, and names the object each event is about. */
function describeEvents(events: readonly SessionWatchEvent[]): string[] {
  return events.map((event) => `${event.type} ${event.object.metadata.name}`);
}

function expectIncreasingVersions(events: readonly SessionWatchEvent[]): void {
  const versions = events.map((event) => versionNumber(event.object.metadata.resourceVersion));
  for (let index = 1; index < versions.length; index += 1) {
    expect(versions[index]! > versions[index - 1]!, `event ${index} repeats or goes back`).toBe(
      true,
    );
  }
}

export function describeResourceWatchContract(
  context: ResourceStoreContext,
  options: ResourceStoreContractOptions,
): void {
  describe('watch', () => {
    const stops: Unsubscribe[] = [];
    const watchSessions = (namespace: string, resourceVersion?: string): SessionWatchEvent[] => {
      const events: SessionWatchEvent[] = [];
      stops.push(
        context.store.watch(
          AgenticSessionKind,
          { namespace, ...(resourceVersion ? { resourceVersion } : {}) },
          (event) => events.push(event),
        ),
      );
      return events;
    };
    afterEach(() => {
      for (const stop of stops.splice(0)) stop();
    });

    it('delivers live changes in order; DELETED carries the last state', async () => {
      const namespace = await context.newNamespace();
      const events = watchSessions(namespace);
      const created = await context.store.create(AgenticSessionKind, newSession(namespace, 'w'));
      await context.store.update(AgenticSessionKind, {
        ...created,
        spec: { ...created.spec, displayName: 'renamed' },
      });
      const running = await context.store.patchStatus(AgenticSessionKind, namespace, 'w', {
        phase: 'Running',
      });
      await context.store.delete(AgenticSessionKind, namespace, 'w');
      await waitForCount(events, 4, 'four watch events', context.timing);
      expect(describeEvents(events)).toEqual(['ADDED w', 'MODIFIED w', 'MODIFIED w', 'DELETED w']);
      expectIncreasingVersions(events);
      const deleted = events[3]!.object;
      expect(deleted.spec.displayName).toBe('renamed');
      expect(deleted.status).toEqual(running.status);
      expect(deleted.metadata.uid).toBe(created.metadata.uid);
    });

    it('replays exactly the changes after a resourceVersion, then goes live', async () => {
      const namespace = await context.newNamespace();
      const a = await context.store.create(AgenticSessionKind, newSession(namespace, 'a'));
      await context.store.create(AgenticSessionKind, newSession(namespace, 'b'));
      await context.store.patchStatus(AgenticSessionKind, namespace, 'a', { phase: 'Running' });

      const events = watchSessions(namespace, a.metadata.resourceVersion);
      await waitForCount(events, 2, 'the replayed changes', context.timing);
      expect(describeEvents(events)).toEqual(['ADDED b', 'MODIFIED a']);

      await context.store.create(AgenticSessionKind, newSession(namespace, 'c'));
      await waitForCount(events, 3, 'the live change', context.timing);
      expect(describeEvents(events)).toEqual(['ADDED b', 'MODIFIED a', 'ADDED c']);
      expectIncreasingVersions(events);
    });

    it('continues a list exactly: watch from the list resourceVersion', async () => {
      const namespace = await context.newNamespace();
      await context.store.create(AgenticSessionKind, newSession(namespace, 'before'));
      const listed = await context.store.list(AgenticSessionKind, namespace);
      expect(listed.items).toHaveLength(1);
      await context.store.create(AgenticSessionKind, newSession(namespace, 'between'));
      const events = watchSessions(namespace, listed.resourceVersion);
      await context.store.create(AgenticSessionKind, newSession(namespace, 'after'));
      await waitForCount(events, 2, 'changes after the list', context.timing);
      expect(describeEvents(events)).toEqual(['ADDED between', 'ADDED after']);
    });

    it('loses and repeats nothing when writes race the replay', async () => {
      const namespace = await context.newNamespace();
      const first = await context.store.create(AgenticSessionKind, newSession(namespace, 'r0'));
      for (let index = 1; index <= 5; index += 1) {
        await context.store.create(AgenticSessionKind, newSession(namespace, `r${index}`));
      }
      const events = watchSessions(namespace, first.metadata.resourceVersion);
      // Started without awaiting: these land while the replay is being read and delivered.
      const racing = [6, 7, 8, 9, 10].map((index) =>
        context.store.create(AgenticSessionKind, newSession(namespace, `r${index}`)),
      );
      await Promise.all(racing);
      await waitForCount(events, 10, 'replayed and racing changes', context.timing);
      expect(events.map((event) => event.type)).toEqual(Array(10).fill('ADDED'));
      expect(events.map((event) => event.object.metadata.name).sort()).toEqual(
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((index) => `r${index}`).sort(),
      );
      expect(events.slice(0, 5).map((event) => event.object.metadata.name)).toEqual([
        'r1',
        'r2',
        'r3',
        'r4',
        'r5',
      ]);
      expectIncreasingVersions(events);
    });

    it('sees only the watched namespace', async () => {
      const [watched, other] = [await context.newNamespace(), await context.newNamespace()];
      const events = watchSessions(watched);
      await context.store.create(AgenticSessionKind, newSession(other, 'elsewhere'));
      await context.store.create(AgenticSessionKind, newSession(watched, 'here'));
      await waitForCount(events, 1, 'the change in the watched namespace', context.timing);
      expect(describeEvents(events)).toEqual(['ADDED here']);
    });

    it('stops delivering after unsubscribe', async () => {
      const namespace = await context.newNamespace();
      const events = watchSessions(namespace);
      await context.store.create(AgenticSessionKind, newSession(namespace, 'one'));
      await waitForCount(events, 1, 'the first change', context.timing);
      for (const stop of stops.splice(0)) stop();
      await context.store.create(AgenticSessionKind, newSession(namespace, 'two'));
      await sleep(context.timing.quietPeriodMs * 2);
      expect(describeEvents(events)).toEqual(['ADDED one']);
    });

    const historyLimit = options.watchHistoryLimit;
    it.runIf(historyLimit !== undefined)(
      'throws GoneError for a version older than the watch history',
      async () => {
        const namespace = await context.newNamespace();
        const start = await context.store.create(AgenticSessionKind, newSession(namespace, 'g0'));
        for (let index = 1; index <= (historyLimit ?? 0) + 1; index += 1) {
          await context.store.patchStatus(AgenticSessionKind, namespace, 'g0', {
            phase: 'Running',
            message: `change ${index}`,
          });
        }
        expectPlatformErrorSync(
          () =>
            context.store.watch(
              AgenticSessionKind,
              { namespace, resourceVersion: start.metadata.resourceVersion },
              () => undefined,
            ),
          'gone',
        );
      },
    );
  });
}
