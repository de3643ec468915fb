/**
 * The ResourceStore contract: what every adapter (SQLite, Kubernetes API, ...) must do alike.
 * Tests use unique namespaces and label values, so they can run against a shared backend.
 */
import { AgenticSessionKind, ProjectKind } from '@ambient/contracts';
import type { AgenticSession } from '@ambient/contracts';
import { describe, expect, it } from 'vitest';
import { expectPlatformError, uniqueName, versionNumber } from './assertions.ts';
import { newProject, newSession } from './fixtures.ts';
import { describeResourceListContract } from './resource-store-list-contract.ts';
import { useResourceStore } from './resource-store-harness.ts';
import type {
  ResourceStoreContractOptions,
  ResourceStoreHarness,
} from './resource-store-harness.ts';
import { describeResourceWatchContract } from './resource-store-watch-contract.ts';
import { describeResourceWriteContract } from './resource-store-write-contract.ts';

export function describeResourceStoreContract(
  name: string,
  makeStore: () => Promise<ResourceStoreHarness>,
  options: ResourceStoreContractOptions = {},
): void {
  describe(`ResourceStore contract: ${name}`, () => {
    const context = useResourceStore(makeStore, options);

    describe('create and get', () => {
      it('assigns uid, resourceVersion, generation 1 and creationTimestamp', async () => {
        const namespace = await context.newNamespace();
        const created = await context.store.create(AgenticSessionKind, newSession(namespace, 's1'));
        expect(created.apiVersion).toBe(AgenticSessionKind.apiVersion);
        expect(created.kind).toBe('AgenticSession');
        expect(created.metadata).toMatchObject({ name: 's1', namespace, generation: 1 });
        expect(created.metadata.uid).toMatch(/\S/);
        versionNumber(created.metadata.resourceVersion);
        expect(Number.isNaN(Date.parse(created.metadata.creationTimestamp ?? ''))).toBe(false);
        expect(created.spec.initialPrompt).toBe('Summarise the repository');
        expect(await context.store.get(AgenticSessionKind, namespace, 's1')).toEqual(created);
      });

      it('returns undefined for a missing object', async () => {
        const namespace = await context.newNamespace();
        expect(await context.store.get(AgenticSessionKind, namespace, 'missing')).toBeUndefined();
      });

      it('rejects a duplicate name with a conflict', async () => {
        const namespace = await context.newNamespace();
        await context.store.create(AgenticSessionKind, newSession(namespace, 'dup'));
        const error = await expectPlatformError(
          context.store.create(AgenticSessionKind, newSession(namespace, 'dup')),
          'conflict',
        );
        expect(error.message).toContain('already exists');
        expect(error.message).toContain('"dup"');
      });

      it('keeps the same name in different namespaces apart', async () => {
        const [first, second] = [await context.newNamespace(), await context.newNamespace()];
        const a = await context.store.create(AgenticSessionKind, newSession(first, 'same'));
        const b = await context.store.create(AgenticSessionKind, newSession(second, 'same'));
        expect(a.metadata.uid).not.toBe(b.metadata.uid);
        expect((await context.store.get(AgenticSessionKind, second, 'same'))?.metadata.uid).toBe(
          b.metadata.uid,
        );
      });

      it('increases resourceVersion store-wide with every write', async () => {
        const namespace = await context.newNamespace();
        const a = await context.store.create(AgenticSessionKind, newSession(namespace, 'a'));
        const b = await context.store.create(AgenticSessionKind, newSession(namespace, 'b'));
        const aRunning = await context.store.patchStatus(AgenticSessionKind, namespace, 'a', {
          phase: 'Running',
        });
        const versions = [a, b, aRunning].map((object) =>
          versionNumber(object.metadata.resourceVersion),
        );
        expect(versions[1]! > versions[0]!).toBe(true);
        expect(versions[2]! > versions[1]!).toBe(true);
      });

      it('stores the schema-parsed object: defaults filled in, unknown fields dropped', async () => {
        const namespace = await context.newNamespace();
        const input = newSession(namespace, 'parsed');
        const { interactive: _omitted, ...specWithoutDefault } = input.spec;
        const created = await context.store.create(AgenticSessionKind, {
          ...input,
          spec: { ...specWithoutDefault, notInTheSchema: 'x' } as unknown as AgenticSession['spec'],
        });
        expect(created.spec.interactive).toBe(true);
        expect(created.spec).not.toHaveProperty('notInTheSchema');
        const stored = await context.store.get(AgenticSessionKind, namespace, 'parsed');
        expect(stored?.spec).not.toHaveProperty('notInTheSchema');
      });

      it('rejects an object its schema rejects, with the issues as details', async () => {
        const namespace = await context.newNamespace();
        const input = newSession(namespace, 'invalid');
        const error = await expectPlatformError(
          context.store.create(AgenticSessionKind, {
            ...input,
            spec: { ...input.spec, timeout: -5 },
          }),
          'bad_request',
        );
        expect(error.details).toBeDefined();
        expect(await context.store.get(AgenticSessionKind, namespace, 'invalid')).toBeUndefined();
      });

      it('rejects a name that is not a DNS subdomain', async () => {
        const namespace = await context.newNamespace();
        await expectPlatformError(
          context.store.create(AgenticSessionKind, newSession(namespace, 'Not_A_Name')),
          'bad_request',
        );
      });

      it('keeps a status given at creation', async () => {
        const namespace = await context.newNamespace();
        const created = await context.store.create(AgenticSessionKind, {
          ...newSession(namespace, 'with-status'),
          status: { phase: 'Pending', message: 'queued' },
        });
        expect(created.status).toEqual({ phase: 'Pending', message: 'queued' });
      });

      it('stores cluster-scoped kinds without a namespace', async () => {
        const name = uniqueName('project');
        const created = await context.store.create(ProjectKind, newProject(name));
        expect(created.metadata.namespace).toBeUndefined();
        expect((await context.store.get(ProjectKind, '', name))?.metadata.uid).toBe(
          created.metadata.uid,
        );
        await context.store.delete(ProjectKind, '', name);
        expect(await context.store.get(ProjectKind, '', name)).toBeUndefined();
      });
    });

    describeResourceWriteContract(context);
    describeResourceListContract(context);
    describeResourceWatchContract(context, options);
  });
}
