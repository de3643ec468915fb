/**
 * Handles on runner processes: one the runtime spawned itself, or one it adopted after a server
 * restart (found through its PID file). Runners live in their own process group and write their
 * output straight to a log file, so they keep working while the server is down; a runner records
 * its exit code in `<workspace>/.ambient/exit-status.json` so an adopted one can be observed too.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants as osConstants } from 'node:os';

export const EXIT_STATUS_FILE = join('.ambient', 'exit-status.json');
const ADOPTED_POLL_MS = 250;

export interface RunnerProcess {
  readonly pid: number | undefined;
  isRunning(): boolean;
  /** Signals the runner itself (SIGTERM: it stops Claude Code and flushes its events). */
  signal(signal: NodeJS.Signals): void;
  /** Signals the runner's whole process group (tools the agent started go too). */
  signalGroup(signal: NodeJS.Signals): void;
  onExit(listener: (exitCode: number, signal: NodeJS.Signals | undefined) => void): void;
}

export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function signalNumber(signal: NodeJS.Signals | null | undefined): number {
  return signal ? (osConstants.signals[signal] ?? 0) : 0;
}

export function childRunner(child: ChildProcess): RunnerProcess {
  return {
    get pid() {
      return child.pid;
    },
    isRunning: () => child.exitCode === null && child.signalCode === null,
    signal: (signal) => {
      child.kill(signal);
    },
    signalGroup: (signal) => killGroup(child.pid, signal),
    onExit: (listener) => {
      child.once('exit', (code, signal) => listener(code ?? 128 + signalNumber(signal), signal ?? undefined));
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A runner started by an earlier server process: watched by polling, exit code from its file. */
export function adoptedRunner(pid: number, workspace: string): RunnerProcess {
  const listeners: ((exitCode: number, signal: NodeJS.Signals | undefined) => void)[] = [];
  let running = alive(pid);
  const timer = setInterval(() => {
    if (alive(pid)) return;
    running = false;
    clearInterval(timer);
    const exitCode = readExitCode(workspace, pid);
    for (const listener of listeners) listener(exitCode ?? 128 + signalNumber('SIGKILL'), exitCode === undefined ? 'SIGKILL' : undefined);
  }, ADOPTED_POLL_MS);
  timer.unref();
  return {
    pid,
    isRunning: () => running,
    signal: (signal) => {
      try {
        process.kill(pid, signal);
      } catch {
        // Already gone.
      }
    },
    signalGroup: (signal) => killGroup(pid, signal),
    onExit: (listener) => {
      listeners.push(listener);
    },
  };
}

function readExitCode(workspace: string, pid: number): number | undefined {
  try {
    const recorded = JSON.parse(readFileSync(join(workspace, EXIT_STATUS_FILE), 'utf8')) as { pid?: number; code?: number };
    return recorded.pid === pid && typeof recorded.code === 'number' ? recorded.code : undefined;
  } catch {
    return undefined;
  }
}
