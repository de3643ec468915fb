/**
 * Cleanups a test registers as it opens things (databases, pools, followers), run after the test
 * in reverse order: the last thing opened is closed first, so a follower stops before its log
 * closes and a pool ends before its database is dropped. Call at the top of a describe block.
 */
import { afterEach } from 'vitest';

export type Cleanup = () => unknown;

export function useCleanups(): (cleanup: Cleanup) => void {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return (cleanup) => void cleanups.push(cleanup);
}
