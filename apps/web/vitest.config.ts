/**
 * The web UI's unit and component tests, runnable on their own (`npx vitest run --config
 * apps/web/vitest.config.ts`). Component tests pick jsdom per file (`// @vitest-environment jsdom`).
 * The browser end-to-end test (test/web-e2e.test.ts) runs from the root config with the other suites.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    testTimeout: 30_000,
  },
});
