/** How a contract suite gets a ResourceStore, and the per-test context it hands to its parts. */
import type { ResourceStore } from '@ambient/core';
import { afterEach, beforeEach } from 'vitest';
import { DEFAULT_TIMING, uniqueName } from './assertions.ts';
import type { TimingOptions } from './assertions.ts';

export interface ResourceStoreHarness {
  store: ResourceStore;
  cleanup(): Promise<void>;
  /**
   * A namespace for one test. Defaults to a fresh random name, which is enough for stores that
   * need no namespace object; a cluster adapter creates a real Namespace here.
   */
  newNamespace?(): Promise<string>;
}

export interface ResourceStoreContractOptions {
  /**
   * The adapter keeps at most this many changes for watches. When given, the suite makes more
   * changes than that and expects a watch from before them to throw GoneError; omit it for
   * stores whose history is not bounded deterministically (etcd compacts on a timer).
   */
  watchHistoryLimit?: number;
  timing?: Partial<TimingOptions>;
}

export interface ResourceStoreContext {
  readonly store: ResourceStore;
  readonly timing: TimingOptions;
  newNamespace(): Promise<string>;
}

/** Registers beforeEach/afterEach so every test gets a fresh harness from `makeStore`. */
export function useResourceStore(
  makeStore: () => Promise<ResourceStoreHarness>,
  options: ResourceStoreContractOptions,
): ResourceStoreContext {
  let harness: ResourceStoreHarness | undefined;
  beforeEach(async () => {
    harness = await makeStore();
  });
  afterEach(async () => {
    const current = harness;
    harness = undefined;
    await current?.cleanup();
  });
  const current = (): ResourceStoreHarness => {
    if (!harness) throw new Error('the store harness is only available inside a test');
    return harness;
  };
  return {
    get store() {
      return current().store;
    },
    timing: { ...DEFAULT_TIMING, ...options.timing },
    newNamespace: () => current().newNamespace?.() ?? Promise.resolve(uniqueName('contract')),
  };
}
