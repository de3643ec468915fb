/**
 * Kills the process groups this Node.js process started when it goes away, however it goes away.
 *
 * `process.on('exit')` covers normal exits, but a vitest worker killed with SIGKILL or a crash in
 * native code runs no JavaScript at all, and a leaked kube-apiserver (360 MB) or runner would then
 * outlive the test run. So a tiny detached bash "reaper" reads process-group ids from a pipe; when the
 * pipe closes (this process ended, in any way) it SIGKILLs every group still registered and removes
 * the registered directories (etcd's data lives in /dev/shm, i.e. in memory).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

const REAPER_SCRIPT = `
declare -A groups directories
while read -r action value; do
  case $action in
    add) groups[$value]=1 ;;
    remove) unset "groups[$value]" ;;
    directory) directories[$value]=1 ;;
    forget-directory) unset "directories[$value]" ;;
  esac
done
for group in "\${!groups[@]}"; do kill -KILL -- "-$group" 2>/dev/null; done
sleep 0.5 # let the killed processes release their files
for directory in "\${!directories[@]}"; do rm -rf -- "$directory"; done
`;

const registeredGroups = new Set<number>();
let reaper: ChildProcess | undefined;
let exitHookInstalled = false;

function reaperProcess(): ChildProcess {
  if (reaper) return reaper;
  const child = spawn('bash', ['-c', REAPER_SCRIPT], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.unref();
  // The pipe must not keep the event loop alive: the reaper exists only for the abnormal exits.
  (child.stdin as Socket | null)?.unref();
  child.stdin?.on('error', () => undefined);
  reaper = child;
  return child;
}

function killAllRegisteredGroups(): void {
  for (const group of registeredGroups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  registeredGroups.clear();
}

/** Registers the process group led by `pid` (a child spawned with `detached: true`). */
export function registerProcessGroup(pid: number): void {
  registeredGroups.add(pid);
  reaperProcess().stdin?.write(`add ${pid}\n`);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killAllRegisteredGroups);
  }
}

/** Forgets a group that ended (so a later process reusing the id is never killed). */
export function unregisterProcessGroup(pid: number): void {
  if (!registeredGroups.delete(pid)) return;
  reaper?.stdin?.write(`remove ${pid}\n`);
}

/** Sends a signal to a whole process group; false when it no longer exists. */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Removes `path` (recursively) if this process dies without cleaning up. */
export function registerCleanupDirectory(path: string): void {
  if (/\n/.test(path)) return; // the pipe protocol is line based; such paths are never generated here
  reaperProcess().stdin?.write(`directory ${path}\n`);
}

export function unregisterCleanupDirectory(path: string): void {
  reaper?.stdin?.write(`forget-directory ${path}\n`);
}
