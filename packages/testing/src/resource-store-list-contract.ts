/** ResourceStore contract, part 3: list by namespace, label selectors and pagination. */
import { AgenticSessionKind, ProjectKind } from '@ambient/contracts';
import { describe, expect, it } from 'vitest';
import { expectPlatformError, uniqueName, versionNumber } from './assertions.ts';
import { newProject, newSession } from './fixtures.ts';
import type { ResourceStoreContext } from './resource-store-harness.ts';

export function describeResourceListContract(context: ResourceStoreContext): void {
  describe('list', () => {
    it('lists one namespace, or every namespace when none is given', async () => {
      const [first, second] = [await context.newNamespace(), await context.newNamespace()];
      const run = uniqueName('run');
      await context.store.create(AgenticSessionKind, newSession(first, 'a', { labels: { run } }));
      await context.store.create(AgenticSessionKind, newSession(first, 'b', { labels: { run } }));
      await context.store.create(AgenticSessionKind, newSession(second, 'c', { labels: { run } }));

      const inFirst = await context.store.list(AgenticSessionKind, first);
      expect(inFirst.items.map((item) => item.metadata.name)).toEqual(['a', 'b']);

      const everywhere = await context.store.list(AgenticSessionKind, undefined, {
        labelSelector: { run },
      });
      const keys = everywhere.items.map(
        (item) => `${item.metadata.namespace}/${item.metadata.name}`,
      );
      expect(keys).toHaveLength(3);
      expect(keys).toEqual(expect.arrayContaining([`${first}/a`, `${first}/b`, `${second}/c`]));
    });

    it('returns a resourceVersion no older than any listed item', async () => {
      const namespace = await context.newNamespace();
      const a = await context.store.create(AgenticSessionKind, newSession(namespace, 'a'));
      const b = await context.store.patchStatus(AgenticSessionKind, namespace, 'a', {
        phase: 'Running',
      });
      const listed = await context.store.list(AgenticSessionKind, namespace);
      expect(listed.items).toEqual([b]);
      const listVersion = versionNumber(listed.resourceVersion);
      expect(listVersion >= versionNumber(a.metadata.resourceVersion)).toBe(true);
      expect(listVersion >= versionNumber(b.metadata.resourceVersion)).toBe(true);
    });

    it('filters by every label of an equality selector', async () => {
      const namespace = await context.newNamespace();
      const labelled = (name: string, labels: Record<string, string>) =>
        context.store.create(AgenticSessionKind, newSession(namespace, name, { labels }));
      await labelled('both', { 'ambient-code.io/team': 'red', tier: 'gold' });
      await labelled('team-only', { 'ambient-code.io/team': 'red' });
      await labelled('other-team', { 'ambient-code.io/team': 'blue', tier: 'gold' });
      await labelled('none', {});

      const names = async (labelSelector: Record<string, string>) =>
        (await context.store.list(AgenticSessionKind, namespace, { labelSelector })).items.map(
          (item) => item.metadata.name,
        );
      expect(await names({ 'ambient-code.io/team': 'red' })).toEqual(['both', 'team-only']);
      expect(await names({ 'ambient-code.io/team': 'red', tier: 'gold' })).toEqual(['both']);
      expect(await names({ tier: 'silver' })).toEqual([]);
      expect(await names({})).toEqual(['both', 'none', 'other-team', 'team-only']);
    });

    it('pages with limit and continue, in a stable order, without skips or repeats', async () => {
      const namespace = await context.newNamespace();
      const names = ['e', 'a', 'd', 'b', 'c'];
      for (const name of names) {
        await context.store.create(AgenticSessionKind, newSession(namespace, name));
      }
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await context.store.list(AgenticSessionKind, namespace, {
          limit: 2,
          ...(token ? { continue: token } : {}),
        });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item) => item.metadata.name));
        token = page.continue;
        pages += 1;
      } while (token && pages < 10);
      expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(pages).toBe(3);
    });

    it('omits continue when the page holds everything left', async () => {
      const namespace = await context.newNamespace();
      await context.store.create(AgenticSessionKind, newSession(namespace, 'only'));
      const page = await context.store.list(AgenticSessionKind, namespace, { limit: 5 });
      expect(page.items).toHaveLength(1);
      expect(page.continue).toBeUndefined();
    });

    it('rejects a malformed continue token', async () => {
      const namespace = await context.newNamespace();
      await expectPlatformError(
        context.store.list(AgenticSessionKind, namespace, { continue: 'not a token' }),
        'bad_request',
      );
    });

    it('lists cluster-scoped kinds', async () => {
      const marker = uniqueName('marker');
      const [one, two] = [uniqueName('project'), uniqueName('project')];
      await context.store.create(ProjectKind, newProject(one, { marker }));
      await context.store.create(ProjectKind, newProject(two, { marker }));
      const listed = await context.store.list(ProjectKind, undefined, {
        labelSelector: { marker },
      });
      expect(listed.items.map((item) => item.metadata.name).sort()).toEqual([one, two].sort());
      for (const name of [one, two]) await context.store.delete(ProjectKind, '', name);
    });
  });
}
