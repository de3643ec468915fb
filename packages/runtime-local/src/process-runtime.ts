/**
 * Embedded WorkloadRuntime: each session run is a child process with its own workspace directory.
 *
 * It mirrors what a batch/v1 Job gives the cluster mode: an idempotent create by name, a hard
 * deadline (`activeDeadlineSeconds`), graceful deletion (SIGTERM, then SIGKILL after the grace
 * period) and an observable exit code. PID files let a restarted server reap runners left over from
 * a crash, so a session never has two runners.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants as osConstants } from 'node:os';
import type { Unsubscribe, WorkloadRuntime, WorkloadSpec, WorkloadStatus } from '@ambient/core';

export interface ProcessRuntimeOptions {
  /** Root for workspaces and bookkeeping, e.g. `$AMBIENT_DATA_DIR`. */
  baseDir: string;
  /** The runner command, e.g. [process.execPath, '--import', 'tsx', '.../apps/runner/src/main.ts']. */
  command: string[];
  /** Environment every runner inherits (PATH and the like); spec env is layered on top. */
  baseEnv?: Record<string, string>;
  defaultGracePeriodMs?: number;
}

interface Entry {
  status: WorkloadStatus;
  child?: ChildProcess;
  deadlineTimer?: NodeJS.Timeout;
  killTimer?: NodeJS.Timeout;
  deleteRequested: boolean;
}

/** The runner interrupts Claude Code and flushes its outbox on SIGTERM; give it time. */
const DEFAULT_GRACE_PERIOD_MS = 15_000;

export class ProcessWorkloadRuntime implements WorkloadRuntime {
  private readonly entries = new Map<string, Entry>();
  private readonly emitter = new EventEmitter();
  private readonly pidDir: string;

  constructor(private readonly options: ProcessRuntimeOptions) {
    this.pidDir = join(options.baseDir, 'runners');
    mkdirSync(this.pidDir, { recursive: true });
    this.emitter.setMaxListeners(0);
    this.reapLeftovers();
  }

  workspacePath(namespace: string, workspaceName: string): string {
    return join(this.options.baseDir, 'workspaces', namespace, workspaceName);
  }

  async ensure(spec: WorkloadSpec): Promise<WorkloadStatus> {
    const key = keyOf(spec.namespace, spec.name);
    const existing = this.entries.get(key);
    if (existing) return { ...existing.status };
    const workspace = this.workspacePath(spec.namespace, spec.workspaceName);
    mkdirSync(join(workspace, '.ambient'), { recursive: true });
    const entry: Entry = {
      status: { name: spec.name, namespace: spec.namespace, phase: 'Pending' },
      deleteRequested: false,
    };
    this.entries.set(key, entry);
    this.start(key, entry, spec, workspace);
    return { ...entry.status };
  }

  async get(namespace: string, name: string): Promise<WorkloadStatus | undefined> {
    const entry = this.entries.get(keyOf(namespace, name));
    return entry ? { ...entry.status } : undefined;
  }

  async delete(namespace: string, name: string, options: { gracePeriodMs?: number } = {}): Promise<void> {
    const key = keyOf(namespace, name);
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.deleteRequested = true;
    if (!entry.child || entry.child.exitCode !== null || entry.child.signalCode !== null) {
      this.entries.delete(key);
      this.notify(namespace, name);
      return;
    }
    this.terminate(entry, options.gracePeriodMs ?? this.options.defaultGracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS);
  }

  async deleteWorkspace(namespace: string, workspaceName: string): Promise<void> {
    rmSync(this.workspacePath(namespace, workspaceName), { recursive: true, force: true });
  }

  watch(onChange: (namespace: string, name: string) => void): Unsubscribe {
    const listener = (namespace: string, name: string): void => onChange(namespace, name);
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /** Stops every runner (server shutdown); resolves when all have exited. */
  async shutdown(gracePeriodMs = 5_000): Promise<void> {
    const exits = [...this.entries.values()]
      .filter((entry) => entry.child && entry.child.exitCode === null && entry.child.signalCode === null)
      .map((entry) => {
        const child = entry.child!;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        this.terminate(entry, gracePeriodMs);
        return exited;
      });
    await Promise.all(exits);
  }

  private start(key: string, entry: Entry, spec: WorkloadSpec, workspace: string): void {
    const [executable, ...args] = this.options.command;
    if (!executable) throw new Error('ProcessWorkloadRuntime: empty runner command');
    const log = createWriteStream(join(workspace, '.ambient', `${spec.name}.log`), { flags: 'a' });
    const child = spawn(executable, args, {
      cwd: workspace,
      env: { ...this.options.baseEnv, ...spec.env, ...spec.secretEnv, AMBIENT_WORKSPACE_DIR: workspace },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so tool processes the agent started can be reaped with it.
      detached: true,
    });
    entry.child = child;
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('spawn', () => {
      entry.status = { ...entry.status, phase: 'Running', startedAt: new Date().toISOString() };
      if (child.pid) writeFileSync(join(this.pidDir, `${key.replace('/', '__')}.pid`), String(child.pid));
      this.notify(spec.namespace, spec.name);
    });
    child.once('error', (error) => {
      entry.status = { ...entry.status, phase: 'Failed', reason: 'StartError', message: `could not start the runner: ${error.message}`, finishedAt: new Date().toISOString() };
      this.notify(spec.namespace, spec.name);
    });
    child.once('exit', (code, signal) => this.onExit(key, entry, spec, child, code, signal, log));
    if (spec.activeDeadlineSeconds) {
      entry.deadlineTimer = setTimeout(() => {
        entry.status = { ...entry.status, reason: 'DeadlineExceeded', message: `run exceeded ${spec.activeDeadlineSeconds}s` };
        this.terminate(entry, this.options.defaultGracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS);
      }, spec.activeDeadlineSeconds * 1000);
      entry.deadlineTimer.unref();
    }
  }

  private onExit(key: string, entry: Entry, spec: WorkloadSpec, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, log: NodeJS.WritableStream): void {
    clearTimeout(entry.deadlineTimer);
    clearTimeout(entry.killTimer);
    log.end();
    // Whatever the runner left behind in its group (a Bash tool's children) goes with it.
    killGroup(child.pid, 'SIGKILL');
    rmSync(join(this.pidDir, `${key.replace('/', '__')}.pid`), { force: true });
    const exitCode = code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0);
    entry.status = {
      ...entry.status,
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      exitCode,
      finishedAt: new Date().toISOString(),
      reason: entry.status.reason ?? (signal ? 'Killed' : exitCode === 0 ? 'Completed' : 'Error'),
    };
    if (entry.deleteRequested) this.entries.delete(key);
    this.notify(spec.namespace, spec.name);
  }

  private terminate(entry: Entry, gracePeriodMs: number): void {
    const child = entry.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    // SIGTERM to the runner only: it stops Claude Code itself and flushes its events first.
    child.kill('SIGTERM');
    if (entry.killTimer) return;
    entry.killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), gracePeriodMs);
    entry.killTimer.unref();
  }

  /** Guards against PID reuse: only a process running our runner command is killed. */
  private isOurRunner(pid: number): boolean {
    const marker = this.options.command[this.options.command.length - 1] ?? '';
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
    } catch {
      return false;
    }
  }

  private notify(namespace: string, name: string): void {
    this.emitter.emit('change', namespace, name);
  }

  /** Kills runners a previous server process left behind (it crashed before stopping them). */
  private reapLeftovers(): void {
    for (const file of readdirSync(this.pidDir)) {
      if (!file.endsWith('.pid')) continue;
      const pid = Number(readFileSync(join(this.pidDir, file), 'utf8'));
      try {
        if (Number.isInteger(pid) && pid > 0 && this.isOurRunner(pid)) killGroup(pid, 'SIGKILL');
      } catch {
        // Already gone: nothing to reap.
      }
      rmSync(join(this.pidDir, file), { force: true });
    }
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
