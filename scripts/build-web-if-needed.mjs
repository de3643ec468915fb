#!/usr/bin/env node
/* global process, console, URL */
/**
 * Builds the web UI (apps/web → apps/web/out, a static export; ADR 0007) when the output is missing
 * or older than any source it is built from, so `npm start` always serves a current UI without
 * paying ~1 minute of `next build` on every start.
 *
 *   node scripts/build-web-if-needed.mjs            build if needed; a failed build is reported and the
 *                                                   platform still starts (the API works without the UI)
 *   node scripts/build-web-if-needed.mjs --strict   exit 1 when the build fails (tests, CI)
 *   node scripts/build-web-if-needed.mjs --check    only say whether a build is needed (exit 0 no, 3 yes)
 *
 * AMBIENT_SKIP_WEB_BUILD=1 skips it (API-only use); a custom AMBIENT_WEB_DIR is assumed to be built
 * elsewhere and is left alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const WEB_DIR = join(REPO_ROOT, 'apps', 'web');
export const OUT_DIR = join(WEB_DIR, 'out');

/** Everything the export is built from: the app, its configuration, and the workspace packages it bundles. */
export const SOURCES = [
  join(WEB_DIR, 'src'),
  join(WEB_DIR, 'package.json'),
  join(WEB_DIR, 'next.config.ts'),
  join(WEB_DIR, 'postcss.config.mjs'),
  join(WEB_DIR, 'tsconfig.json'),
  join(REPO_ROOT, 'packages', 'client', 'src'),
  join(REPO_ROOT, 'packages', 'contracts', 'src'),
];

/** Tests do not end up in the bundle; editing one must not trigger a rebuild. */
function isTestFile(name) {
  return /\.test\.tsx?$/.test(name);
}

/** The newest modification time (ms) under `path` (a file or a directory tree), 0 when absent. */
export function newestModification(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs; // a deleted file changes its directory's mtime
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || isTestFile(entry.name)) continue;
    newest = Math.max(newest, newestModification(join(path, entry.name)));
  }
  return newest;
}

/** Why a build is needed, or undefined when `out/` is current. */
export function buildReason({ outDir = OUT_DIR, sources = SOURCES } = {}) {
  const marker = join(outDir, 'index.html');
  if (!existsSync(marker)) return 'the web UI has not been built yet';
  const builtAt = statSync(marker).mtimeMs;
  for (const source of sources) {
    if (newestModification(source) > builtAt) return `${source.slice(REPO_ROOT.length + 1)} changed since the last build`;
  }
  return undefined;
}

function runBuild() {
  const started = Date.now();
  const result = spawnSync('npm', ['run', 'build', '-w', '@ambient/web'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  return { ok: result.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1), error: result.error };
}

function main(argv) {
  const strict = argv.includes('--strict');
  const checkOnly = argv.includes('--check');
  if (process.env.AMBIENT_SKIP_WEB_BUILD === '1') {
    console.log('web UI: build skipped (AMBIENT_SKIP_WEB_BUILD=1)');
    return 0;
  }
  const customDir = process.env.AMBIENT_WEB_DIR;
  if (customDir && resolve(customDir) !== OUT_DIR) {
    console.log(`web UI: serving ${customDir} as it is (AMBIENT_WEB_DIR); not building`);
    return 0;
  }
  if (!existsSync(join(WEB_DIR, 'package.json'))) return 0;
  const reason = buildReason();
  if (!reason) {
    console.log('web UI: up to date (apps/web/out)');
    return 0;
  }
  if (checkOnly) {
    console.log(`web UI: build needed: ${reason}`);
    return 3;
  }
  console.log(`web UI: building, because ${reason} (about a minute)…`);
  const build = runBuild();
  if (build.ok) {
    console.log(`web UI: built in ${build.seconds} s → apps/web/out`);
    return 0;
  }
  console.error(`web UI: the build FAILED after ${build.seconds} s${build.error ? ` (${build.error.message})` : ''}.`);
  if (strict) return 1;
  console.error('web UI: starting anyway; the API works, the pages need a successful `npm run build -w @ambient/web`.');
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(main(process.argv.slice(2)));
}
