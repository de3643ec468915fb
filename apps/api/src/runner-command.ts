/**
 * The command line of a runner process in embedded mode. The runner's TypeScript is bundled once per
 * platform start with esbuild (a single ESM file beside node_modules), which halves its start-up time
 * compared with transforming every module through tsx on each launch. If bundling fails, the runner
 * runs from source through tsx's loader instead.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUNNER_ENTRY = join(REPO_ROOT, 'apps', 'runner', 'src', 'main.ts');
/** Inside node_modules so the bundle's external imports resolve from the repository's packages. */
const BUNDLE_DIRECTORY = join(REPO_ROOT, 'node_modules', '.cache', 'ambient-runner');

/** Packages left outside the bundle: the SDK locates its CLI binary relative to its own files. */
const EXTERNAL_PACKAGES = ['@anthropic-ai/claude-agent-sdk', 'ws', 'bufferutil', 'utf-8-validate'];

export function sourceRunnerCommand(): string[] {
  // An absolute loader path: runners start in their workspace, where `tsx` would not resolve.
  const loader = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
  if (!existsSync(loader)) throw new Error(`tsx loader not found at ${loader}; run npm install`);
  return [process.execPath, '--import', loader, RUNNER_ENTRY];
}

export async function runnerCommand(options: { bundle?: boolean } = {}): Promise<string[]> {
  if (options.bundle === false) return sourceRunnerCommand();
  const outfile = join(BUNDLE_DIRECTORY, 'main.mjs');
  try {
    mkdirSync(BUNDLE_DIRECTORY, { recursive: true });
    await build({
      entryPoints: [RUNNER_ENTRY],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      external: EXTERNAL_PACKAGES,
      sourcemap: 'inline',
      logLevel: 'silent',
      // Bundled CommonJS dependencies still call require().
      banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
    });
    return [process.execPath, '--enable-source-maps', outfile];
  } catch (error) {
    console.warn(`could not bundle the runner (${error instanceof Error ? error.message : String(error)}); running it from source`);
    return sourceRunnerCommand();
  }
}
