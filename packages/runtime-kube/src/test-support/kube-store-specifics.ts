/**
 * What KubeResourceStore does beyond the shared contract, on the same test cluster (registered
 * from kube-resource-store.test.ts so one cluster serves both): Gone and credential failures
 * through `onError`, no identity fallback, resumed watches, and the Project ↔ Namespace mapping.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { createTestNamespace } from '@ambient/kube-testing';
import type { AcquiredTestCluster } from '@ambient/kube-testing/shared-cluster';
import { AgenticSessionKind, ProjectKind } from '@ambient/contracts';
import type { AgenticSession, Project } from '@ambient/contracts';
import { PlatformError } from '@ambient/core';
import type { WatchEvent } from '@ambient/core';
import {
  expectPlatformError,
  expectPlatformErrorSync,
  newSession,
  sleep,
  uniqueName,
  waitUntil,
} from '@ambient/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeResourceStore } from '../kube-resource-store.ts';
import {
  DESCRIPTION_ANNOTATION,
  DISPLAY_NAME_ANNOTATION,
  MANAGED_LABEL,
} from '../project-namespaces.ts';

const TIMING = { timeoutMs: 10_000, quietPeriodMs: 0 };

export function describeKubeSpecifics(currentCluster: () => AcquiredTestCluster): void {
  describe('Kubernetes specifics', () => {
    const cleanups: (() => Promise<unknown> | void)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });
    const adminStore = (
      options: Partial<ConstructorParameters<typeof KubeResourceStore>[0]> = {},
    ) => new KubeResourceStore({ kubeConfig: currentCluster().kubeConfig, ...options });
    const namespace = async (): Promise<string> => {
      const created = await createTestNamespace(currentCluster().kubeConfig, {
        prefix: 'specifics',
      });
      cleanups.push(() => created.delete());
      return created.name;
    };

    it('reports a too old resourceVersion as GoneError through onError', async () => {
      const errors: Error[] = [];
      const stop = adminStore().watch(
        AgenticSessionKind,
        {
          namespace: await namespace(),
          resourceVersion: '1',
          onError: (error) => errors.push(error),
        },
        () => undefined,
      );
      cleanups.push(stop);
      await waitUntil(() => errors.length > 0, 'the Gone error', TIMING);
      expect(PlatformError.isInstance(errors[0]) && errors[0].code).toBe('gone');
    });

    it('never falls back to the KubeConfig identity when the caller has no token', async () => {
      const target = await namespace();
      const store = adminStore({ credentials: () => undefined });
      await expectPlatformError(
        store.create(AgenticSessionKind, newSession(target, 'x')),
        'unauthorized',
      );
      await expectPlatformError(store.list(AgenticSessionKind, target), 'unauthorized');
      expectPlatformErrorSync(
        () => store.watch(AgenticSessionKind, { namespace: target }, () => undefined),
        'unauthorized',
      );
      expect(await adminStore().get(AgenticSessionKind, target, 'x')).toBeUndefined();
    });

    it('maps a token the cluster rejects to unauthorized, for calls and watches', async () => {
      const target = await namespace();
      const store = adminStore({ credentials: () => 'forged-token' });
      const error = await expectPlatformError(
        store.get(AgenticSessionKind, target, 'x'),
        'unauthorized',
      );
      expect(error.message).not.toContain('forged-token');
      const errors: Error[] = [];
      cleanups.push(
        store.watch(
          AgenticSessionKind,
          { namespace: target, resourceVersion: '1', onError: (e) => errors.push(e) },
          () => undefined,
        ),
      );
      await waitUntil(() => errors.length > 0, 'the watch failure', TIMING);
      expect(PlatformError.isInstance(errors[0]) && errors[0].code).toBe('unauthorized');
    });

    it('resumes a watch the API server ends, from the last version, exactly once', async () => {
      const target = await namespace();
      const store = adminStore({ watch: { timeoutSeconds: 1, retryDelayMs: 50 } });
      const events: WatchEvent<AgenticSession>[] = [];
      cleanups.push(
        store.watch(AgenticSessionKind, { namespace: target }, (event) => events.push(event)),
      );
      for (let index = 0; index < 4; index += 1) {
        await store.create(AgenticSessionKind, newSession(target, `s${index}`));
        await sleep(900); // each write lands in a different server-side watch request
      }
      await waitUntil(() => events.length >= 4, 'four events', TIMING);
      await sleep(1_200);
      expect(events.map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual([
        'ADDED s0',
        'ADDED s1',
        'ADDED s2',
        'ADDED s3',
      ]);
    });

    describe('projects are managed namespaces', () => {
      const core = () => currentCluster().kubeConfig.makeApiClient(CoreV1Api);

      it('keeps displayName and description in the OpenShift annotations, generation in its own', async () => {
        const store = adminStore();
        const name = uniqueName('project');
        cleanups.push(() => store.delete(ProjectKind, '', name).catch(() => undefined));
        const created = await store.create(ProjectKind, {
          metadata: { name, labels: { team: 'red' } },
          spec: { displayName: 'Red team', description: 'Everything red' },
        });
        expect(created.metadata).toMatchObject({ name, generation: 1, labels: { team: 'red' } });
        expect(created.status).toEqual({ phase: 'Active' });
        const namespaceObject = await core().readNamespace({ name });
        expect(namespaceObject.metadata?.labels).toMatchObject({
          [MANAGED_LABEL]: 'true',
          team: 'red',
        });
        expect(namespaceObject.metadata?.annotations).toMatchObject({
          [DISPLAY_NAME_ANNOTATION]: 'Red team',
          [DESCRIPTION_ANNOTATION]: 'Everything red',
        });

        const relabelled = await store.update(ProjectKind, {
          ...created,
          metadata: { ...created.metadata, labels: { team: 'blue' } },
        });
        expect(relabelled.metadata.generation).toBe(1);
        const renamed = await store.update(ProjectKind, {
          ...relabelled,
          spec: { displayName: 'Blue team' },
        });
        expect(renamed.metadata.generation).toBe(2);
        expect(renamed.spec).toEqual({ displayName: 'Blue team' });
        expect(await store.update(ProjectKind, renamed)).toEqual(renamed);
        await expectPlatformError(store.update(ProjectKind, created), 'conflict');
        expect((await store.get(ProjectKind, '', name))?.spec).toEqual({
          displayName: 'Blue team',
        });
        await expectPlatformError(
          store.patchStatus(ProjectKind, '', name, { phase: 'Active' } as NonNullable<
            Project['status']
          >),
          'bad_request',
        );
      });

      it('ignores namespaces the platform does not manage', async () => {
        const store = adminStore();
        const plain = await namespace();
        expect(await store.get(ProjectKind, '', plain)).toBeUndefined();
        const listed = await store.list(ProjectKind);
        expect(listed.items.map((item) => item.metadata.name)).not.toContain(plain);
        await expectPlatformError(store.delete(ProjectKind, '', plain), 'not_found');
        expect(
          (await core().readNamespace({ name: plain })).metadata?.deletionTimestamp,
        ).toBeUndefined();
      });

      it('watches projects; a deleted project is gone at once and reported DELETED once', async () => {
        const store = adminStore();
        const name = uniqueName('project');
        const events: WatchEvent<Project>[] = [];
        cleanups.push(
          store.watch(ProjectKind, {}, (event) => {
            if (event.object.metadata.name === name) events.push(event);
          }),
        );
        const created = await store.create(ProjectKind, {
          metadata: { name },
          spec: { displayName: 'Short-lived' },
        });
        await store.update(ProjectKind, { ...created, spec: { displayName: 'Renamed' } });
        await store.delete(ProjectKind, '', name);
        expect(await store.get(ProjectKind, '', name)).toBeUndefined();
        expect(
          (await store.list(ProjectKind)).items.map((item) => item.metadata.name),
        ).not.toContain(name);
        await expectPlatformError(store.delete(ProjectKind, '', name), 'not_found');
        // The namespace controller removes the Namespace later: that must not be a second DELETED.
        await waitUntil(() => events.length >= 3, 'three project events', TIMING);
        for (let waited = 0; waited < 20_000; waited += 250) {
          const gone = await core()
            .readNamespace({ name })
            .then(
              () => false,
              () => true,
            );
          if (gone) break;
          await sleep(250);
        }
        await sleep(500);
        expect(events.map((event) => event.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
        expect(events[2]?.object.spec.displayName).toBe('Renamed');
      }, 40_000);
    });
  });
}
