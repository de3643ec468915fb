/** ResourceStore contract, part 2: update, patchStatus and delete. */
import { AgenticSessionKind } from '@ambient/contracts';
import type { AgenticSession } from '@ambient/contracts';
import { describe, expect, it } from 'vitest';
import { expectPlatformError, versionNumber } from './assertions.ts';
import { newSession } from './fixtures.ts';
import type { ResourceStoreContext } from './resource-store-harness.ts';

export function describeResourceWriteContract(context: ResourceStoreContext): void {
  describe('update', () => {
    it('bumps generation only when spec changes', async () => {
      const namespace = await context.newNamespace();
      const created = await context.store.create(AgenticSessionKind, newSession(namespace, 'gen'));
      const relabelled = await context.store.update(AgenticSessionKind, {
        ...created,
        metadata: { ...created.metadata, labels: { team: 'a' } },
      });
      expect(relabelled.metadata.generation).toBe(1);
      expect(relabelled.metadata.labels).toEqual({ team: 'a' });
      expect(
        versionNumber(relabelled.metadata.resourceVersion) >
          versionNumber(created.metadata.resourceVersion),
      ).toBe(true);
      const respecced = await context.store.update(AgenticSessionKind, {
        ...relabelled,
        spec: { ...relabelled.spec, initialPrompt: 'Something else' },
      });
      expect(respecced.metadata.generation).toBe(2);
      expect(respecced.spec.initialPrompt).toBe('Something else');
      const statusOnly = await context.store.patchStatus(AgenticSessionKind, namespace, 'gen', {
        phase: 'Running',
      });
      expect(statusOnly.metadata.generation).toBe(2);
    });

    it('rejects a stale resourceVersion with a conflict and changes nothing', async () => {
      const namespace = await context.newNamespace();
      const created = await context.store.create(
        AgenticSessionKind,
        newSession(namespace, 'stale'),
      );
      await context.store.update(AgenticSessionKind, {
        ...created,
        spec: { ...created.spec, initialPrompt: 'first writer' },
      });
      await expectPlatformError(
        context.store.update(AgenticSessionKind, {
          ...created,
          spec: { ...created.spec, initialPrompt: 'second writer' },
        }),
        'conflict',
      );
      const stored = await context.store.get(AgenticSessionKind, namespace, 'stale');
      expect(stored?.spec.initialPrompt).toBe('first writer');
    });

    it('never changes status, and keeps server-owned metadata', async () => {
      const namespace = await context.newNamespace();
      await context.store.create(AgenticSessionKind, newSession(namespace, 'owned'));
      const running = await context.store.patchStatus(AgenticSessionKind, namespace, 'owned', {
        phase: 'Running',
      });
      const updated = await context.store.update(AgenticSessionKind, {
        ...running,
        metadata: {
          ...running.metadata,
          generation: 42,
          creationTimestamp: '2000-01-01T00:00:00Z',
        },
        spec: { ...running.spec, displayName: 'renamed' },
        status: { phase: 'Failed', message: 'not allowed here' },
      });
      expect(updated.status).toEqual({ phase: 'Running' });
      expect(updated.metadata.generation).toBe(2);
      expect(updated.metadata.creationTimestamp).toBe(running.metadata.creationTimestamp);
      expect(updated.metadata.uid).toBe(running.metadata.uid);
      expect((await context.store.get(AgenticSessionKind, namespace, 'owned'))?.status).toEqual({
        phase: 'Running',
      });
    });

    it('treats an update that changes nothing as no write', async () => {
      const namespace = await context.newNamespace();
      const created = await context.store.create(AgenticSessionKind, newSession(namespace, 'noop'));
      const same = await context.store.update(AgenticSessionKind, created);
      expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
      expect(same.metadata.generation).toBe(1);
    });

    it('rejects an object from an earlier incarnation (different uid) with a conflict', async () => {
      const namespace = await context.newNamespace();
      const first = await context.store.create(AgenticSessionKind, newSession(namespace, 'reborn'));
      await context.store.delete(AgenticSessionKind, namespace, 'reborn');
      const second = await context.store.create(
        AgenticSessionKind,
        newSession(namespace, 'reborn'),
      );
      expect(second.metadata.uid).not.toBe(first.metadata.uid);
      expect(second.metadata.generation).toBe(1);
      await expectPlatformError(
        context.store.update(AgenticSessionKind, {
          ...first,
          spec: { ...first.spec, displayName: 'from the past' },
        }),
        'conflict',
      );
      const stored = await context.store.get(AgenticSessionKind, namespace, 'reborn');
      expect(stored?.spec.displayName).toBeUndefined();
    });

    it('fails with not_found for a missing object', async () => {
      const namespace = await context.newNamespace();
      const created = await context.store.create(AgenticSessionKind, newSession(namespace, 'gone'));
      await context.store.delete(AgenticSessionKind, namespace, 'gone');
      await expectPlatformError(
        context.store.update(AgenticSessionKind, {
          ...created,
          metadata: { ...created.metadata, resourceVersion: '' },
        }),
        'not_found',
      );
    });

    it('validates the updated object', async () => {
      const namespace = await context.newNamespace();
      const created = await context.store.create(AgenticSessionKind, newSession(namespace, 'v'));
      await expectPlatformError(
        context.store.update(AgenticSessionKind, {
          ...created,
          spec: { ...created.spec, timeout: 0 },
        }),
        'bad_request',
      );
    });
  });

  describe('patchStatus', () => {
    it('replaces only status', async () => {
      const namespace = await context.newNamespace();
      const created = await context.store.create(
        AgenticSessionKind,
        newSession(namespace, 'status', { labels: { team: 'a' } }),
      );
      const patched = await context.store.patchStatus(AgenticSessionKind, namespace, 'status', {
        phase: 'Running',
        observedGeneration: 1,
      });
      expect(patched.status).toEqual({ phase: 'Running', observedGeneration: 1 });
      expect(patched.spec).toEqual(created.spec);
      expect(patched.metadata.labels).toEqual({ team: 'a' });
      expect(patched.metadata.generation).toBe(1);
      expect(
        versionNumber(patched.metadata.resourceVersion) >
          versionNumber(created.metadata.resourceVersion),
      ).toBe(true);
      expect(await context.store.get(AgenticSessionKind, namespace, 'status')).toEqual(patched);
    });

    it('honours a resourceVersion precondition', async () => {
      const namespace = await context.newNamespace();
      const created = await context.store.create(AgenticSessionKind, newSession(namespace, 'pre'));
      const running = await context.store.patchStatus(
        AgenticSessionKind,
        namespace,
        'pre',
        { phase: 'Running' },
        { resourceVersion: created.metadata.resourceVersion },
      );
      await expectPlatformError(
        context.store.patchStatus(
          AgenticSessionKind,
          namespace,
          'pre',
          { phase: 'Failed' },
          { resourceVersion: created.metadata.resourceVersion },
        ),
        'conflict',
      );
      expect((await context.store.get(AgenticSessionKind, namespace, 'pre'))?.status).toEqual(
        running.status,
      );
    });

    it('rejects an invalid status and a missing object', async () => {
      const namespace = await context.newNamespace();
      await context.store.create(AgenticSessionKind, newSession(namespace, 'bad-status'));
      await expectPlatformError(
        context.store.patchStatus(AgenticSessionKind, namespace, 'bad-status', {
          phase: 'Dancing',
        } as unknown as NonNullable<AgenticSession['status']>),
        'bad_request',
      );
      await expectPlatformError(
        context.store.patchStatus(AgenticSessionKind, namespace, 'nobody', { phase: 'Running' }),
        'not_found',
      );
    });
  });

  describe('delete', () => {
    it('removes the object; a second delete fails with not_found', async () => {
      const namespace = await context.newNamespace();
      await context.store.create(AgenticSessionKind, newSession(namespace, 'bye'));
      await context.store.delete(AgenticSessionKind, namespace, 'bye');
      expect(await context.store.get(AgenticSessionKind, namespace, 'bye')).toBeUndefined();
      await expectPlatformError(
        context.store.delete(AgenticSessionKind, namespace, 'bye'),
        'not_found',
      );
    });

    it('waits for finalizers: marks deletionTimestamp, removes once they are cleared', async () => {
      const namespace = await context.newNamespace();
      await context.store.create(
        AgenticSessionKind,
        newSession(namespace, 'held', { finalizers: ['ambient-code.io/cleanup'] }),
      );
      await context.store.delete(AgenticSessionKind, namespace, 'held');
      const terminating = await context.store.get(AgenticSessionKind, namespace, 'held');
      expect(terminating?.metadata.deletionTimestamp).toBeDefined();
      await context.store.update(AgenticSessionKind, {
        ...terminating!,
        metadata: { ...terminating!.metadata, finalizers: [] },
      });
      expect(await context.store.get(AgenticSessionKind, namespace, 'held')).toBeUndefined();
    });
  });
}
