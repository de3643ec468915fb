/**
 * Locates (building on first use) the Kubernetes 1.20.2 control-plane binaries and etcd.
 * The build itself is scripts/build-kube.sh: cached, locked against concurrent builds, about 7 minutes
 * cold; a warm call returns in milliseconds.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KUBE_VERSION = '1.20.2';
export const BUILD_SCRIPT_PATH = fileURLToPath(
  new URL('../scripts/build-kube.sh', import.meta.url),
);

export interface KubeBinaries {
  apiServer: string;
  controllerManager: string;
  scheduler: string;
  etcd: string;
}

/** `$AMBIENT_KUBE_CACHE`, or ~/.cache/ambient/kube-1.20.2/bin. */
export function kubeCacheDirectory(): string {
  return (
    process.env['AMBIENT_KUBE_CACHE'] ??
    join(homedir(), '.cache', 'ambient', `kube-${KUBE_VERSION}`, 'bin')
  );
}

function findEtcd(): string {
  for (const directory of (process.env['PATH'] ?? '').split(':').concat('/usr/bin')) {
    const candidate = join(directory, 'etcd');
    if (directory && existsSync(candidate)) return candidate;
  }
  throw new Error('etcd is not installed (build-kube.sh installs Debian etcd-server)');
}

/** Runs build-kube.sh (which exits at once when the cache is complete) and returns the paths. */
export async function ensureKubeBinaries(): Promise<KubeBinaries> {
  const cacheDirectory = kubeCacheDirectory();
  await new Promise<void>((resolve, reject) => {
    // Progress goes to our stderr: a cold build is slow and should not look like a hang.
    const build = spawn('bash', [BUILD_SCRIPT_PATH], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, AMBIENT_KUBE_CACHE: cacheDirectory },
    });
    build.on('error', reject);
    build.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${BUILD_SCRIPT_PATH} failed with exit code ${code}`)),
    );
  });
  return {
    apiServer: join(cacheDirectory, 'kube-apiserver'),
    controllerManager: join(cacheDirectory, 'kube-controller-manager'),
    scheduler: join(cacheDirectory, 'kube-scheduler'),
    etcd: findEtcd(),
  };
}
