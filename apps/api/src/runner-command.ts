/** The command line of a runner process in embedded mode (TypeScript run through tsx's loader). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function runnerCommand(): string[] {
  // An absolute loader path: runners start in their workspace, where `tsx` would not resolve.
  const loader = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
  const main = join(REPO_ROOT, 'apps', 'runner', 'src', 'main.ts');
  if (!existsSync(loader)) throw new Error(`tsx loader not found at ${loader}; run npm install`);
  return [process.execPath, '--import', loader, main];
}
