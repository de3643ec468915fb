/**
 * Writes deploy/base/crds from the zod contracts: `npm run generate:crds`
 * (= `tsx packages/crds/src/generate.ts`). Stale generated files (a removed kind) are deleted.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CRD_OUTPUT_DIR, GENERATED_HEADER, REPO_ROOT, renderCrdFiles } from './render.ts';

export { renderCrdFiles } from './render.ts';

export function writeCrdFiles(dir: string = CRD_OUTPUT_DIR): {
  written: string[];
  removed: string[];
} {
  mkdirSync(dir, { recursive: true });
  const files = renderCrdFiles();
  const written: string[] = [];
  for (const [fileName, text] of files) {
    const path = join(dir, fileName);
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== text) {
      writeFileSync(path, text);
      written.push(fileName);
    }
  }
  const removed: string[] = [];
  for (const fileName of readdirSync(dir)) {
    if (!fileName.endsWith('.yaml') || files.has(fileName)) continue;
    const path = join(dir, fileName);
    if (readFileSync(path, 'utf8').startsWith(GENERATED_HEADER)) {
      rmSync(path);
      removed.push(fileName);
    }
  }
  return { written, removed };
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const { written, removed } = writeCrdFiles();
  const where = relative(REPO_ROOT, CRD_OUTPUT_DIR) || '.';
  console.log(
    `generate:crds: ${renderCrdFiles().size} files in ${where}` +
      (written.length > 0 ? `; updated ${written.join(', ')}` : '; already up to date') +
      (removed.length > 0 ? `; removed stale ${removed.join(', ')}` : ''),
  );
}
