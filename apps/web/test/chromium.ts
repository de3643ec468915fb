/**
 * Debian's Chromium for the browser end-to-end test (the machine has no browser downloads: the
 * network reaches only the npm registry and Debian). Installed on demand when we are root.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['AMBIENT_CHROMIUM_PATH'] ?? '/usr/bin/chromium';

function apt(args: string[]): void {
  execFileSync('apt-get', args, { stdio: 'pipe', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000 });
}

/** Makes sure Chromium exists, installing Debian's package if needed; throws a clear error otherwise. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.getuid?.() !== 0) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}. Install it with: sudo apt-get install -y chromium`);
  }
  try {
    apt(['install', '-y', '--no-install-recommends', 'chromium']);
  } catch {
    try {
      apt(['update']);
      apt(['install', '-y', '--no-install-recommends', 'chromium']);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(`could not install Debian's chromium package (apt-get install -y chromium): ${detail}`, { cause: error });
    }
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is missing`);
  return CHROMIUM_PATH;
}

/**
 * Headless Chromium with the flags this closed network needs (no background calls home). Playwright
 * gives every launch a fresh, empty profile directory of its own (no --user-data-dir needed).
 */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
