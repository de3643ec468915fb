/**
 * A long-running helper process (etcd, kube-apiserver, …) in its own process group, with stdout and
 * stderr appended to a log file, registered with the reaper so it never outlives the test process.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import {
  registerProcessGroup,
  signalProcessGroup,
  unregisterProcessGroup,
} from './process-reaper.ts';

export interface ManagedProcess {
  name: string;
  pid: number;
  logPath: string;
  /** Set once the process has exited. */
  exitCode(): number | null | undefined;
  /** Resolves when the process exits (with its code, or null after a signal). */
  exited: Promise<number | null>;
  /** SIGTERM to the group, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function startManagedProcess(
  name: string,
  executable: string,
  args: string[],
  logPath: string,
  environment: NodeJS.ProcessEnv = process.env,
): ManagedProcess {
  const logFd = openSync(logPath, 'a');
  const child = spawn(executable, args, {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: environment,
  });
  closeSync(logFd); // the child holds its own copy
  if (child.pid === undefined) throw new Error(`could not start ${name} (${executable})`);
  const pid = child.pid;
  registerProcessGroup(pid);
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (exitCode) => {
      code = exitCode;
      unregisterProcessGroup(pid);
      resolve(exitCode);
    });
    child.on('error', () => {
      code = -1;
      unregisterProcessGroup(pid);
      resolve(-1);
    });
  });
  child.unref(); // a cluster must not keep vitest alive; stop() and the reaper end it

  return {
    name,
    pid,
    logPath,
    exitCode: () => code,
    exited,
    async stop(graceMs = 5_000) {
      if (code !== undefined) return;
      signalProcessGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalProcessGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      signalProcessGroup(pid, 'SIGKILL'); // stray children left in the group
    },
  };
}

/** The last `lineCount` lines of a log file (for error messages when start-up fails). */
export function tailOfFile(path: string, lineCount = 40): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lineCount).join('\n');
  } catch {
    return '(no log)';
  }
}
