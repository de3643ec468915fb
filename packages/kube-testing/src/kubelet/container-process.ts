/**
 * One container run as a local process: its own process group (so SIGTERM reaches everything it
 * started), stdout and stderr appended to a log file, registered with the reaper.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname } from 'node:path';
import {
  registerProcessGroup,
  signalProcessGroup,
  unregisterProcessGroup,
} from '../process-reaper.ts';

export interface ContainerLaunch {
  executable: string;
  args: string[];
  cwd: string;
  environment: Record<string, string>;
  logPath: string;
}

export interface ContainerExit {
  /** As a container runtime reports it: the exit status, or 128 + signal number. */
  exitCode: number;
  signal?: number;
  finishedAt: Date;
  /** Set when the process could not be started at all (e.g. command not found). */
  startError?: string;
}

export interface ContainerProcess {
  pid: number;
  startedAt: Date;
  exited: Promise<ContainerExit>;
  signal(signal: NodeJS.Signals): void;
}

export function startContainerProcess(launch: ContainerLaunch): ContainerProcess {
  mkdirSync(dirname(launch.logPath), { recursive: true });
  const logFd = openSync(launch.logPath, 'a');
  const startedAt = new Date();
  const child = spawn(launch.executable, launch.args, {
    cwd: launch.cwd,
    env: launch.environment,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const pid = child.pid ?? -1;
  if (pid > 0) registerProcessGroup(pid);
  const exited = new Promise<ContainerExit>((resolve) => {
    child.once('error', (error) => {
      // ENOENT/EACCES: like a runtime's "executable file not found", exit code 127/126.
      const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 126;
      resolve({ exitCode: code, finishedAt: new Date(), startError: error.message });
    });
    child.once('exit', (code, signalName) => {
      if (pid > 0) {
        signalProcessGroup(pid, 'SIGKILL'); // the container ends when its main process does
        unregisterProcessGroup(pid);
      }
      const signal = signalName ? constants.signals[signalName] : undefined;
      resolve({ exitCode: code ?? 128 + (signal ?? 0), signal, finishedAt: new Date() });
    });
  });
  return {
    pid,
    startedAt,
    exited,
    signal: (signal) => {
      if (pid > 0) signalProcessGroup(pid, signal);
    },
  };
}
