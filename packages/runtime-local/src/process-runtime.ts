/**
 * Embedded WorkloadRuntime: each session run is a child process with its own workspace directory.
 *
 * It mirrors what a batch/v1 Job gives the cluster mode: an idempotent create by name, a hard
 * deadline (`activeDeadlineSeconds`), graceful deletion (SIGTERM, then SIGKILL of the process group
 * after the grace period) and an observable exit code. Runners outlive a crash or restart of the
 * server: a PID file per runner lets the next server process adopt them, so agents keep working
 * and the runner's outbox delivers what it produced meanwhile.
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Unsubscribe, WorkloadRuntime, WorkloadSpec, WorkloadStatus } from '@ambient/core';
import { adoptedRunner, childRunner, EXIT_STATUS_FILE } from './runner-process.ts';
import type { RunnerProcess } from './runner-process.ts';

export interface ProcessRuntimeOptions {
  /** Root for workspaces and bookkeeping, e.g. `$AMBIENT_DATA_DIR`. */
  baseDir: string;
  /** The runner command, e.g. [process.execPath, '--import', '<tsx loader>', '.../apps/runner/src/main.ts']. */
  command: string[];
  /** Environment every runner inherits (PATH and the like); spec env is layered on top. */
  baseEnv?: Record<string, string>;
  defaultGracePeriodMs?: number;
}

interface Entry {
  status: WorkloadStatus;
  process?: RunnerProcess;
  deadlineTimer?: NodeJS.Timeout;
  killTimer?: NodeJS.Timeout;
  deleteRequested: boolean;
}

interface PidRecord {
  pid: number;
  namespace: string;
  name: string;
  workspace: string;
  startedAt: string;
}

/** The runner's own files in a workspace (outbox, cursors, logs): never copied to another session. */
const RUNNER_BOOKKEEPING = '.ambient';

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
    this.adoptLeftovers();
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
    const entry: Entry = { status: { name: spec.name, namespace: spec.namespace, phase: 'Pending' }, deleteRequested: false };
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
    if (!entry.process?.isRunning()) {
      this.entries.delete(key);
      this.notify(namespace, name);
      return;
    }
    this.terminate(entry, options.gracePeriodMs ?? this.gracePeriodMs());
  }

  async copyWorkspace(namespace: string, fromWorkspace: string, toWorkspace: string): Promise<void> {
    const source = this.workspacePath(namespace, fromWorkspace);
    const target = this.workspacePath(namespace, toWorkspace);
    if (!existsSync(source)) return;
    if (existsSync(target) && readdirSync(target).some((entry) => entry !== RUNNER_BOOKKEEPING)) return;
    // The parent's outbox, cursors and queued turns belong to the parent's runner, not the copy.
    cpSync(source, target, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (path) => relative(source, path).split(sep)[0] !== RUNNER_BOOKKEEPING,
    });
  }

  async deleteWorkspace(namespace: string, workspaceName: string): Promise<void> {
    rmSync(this.workspacePath(namespace, workspaceName), { recursive: true, force: true });
  }

  watch(onChange: (namespace: string, name: string) => void): Unsubscribe {
    const listener = (namespace: string, name: string): void => onChange(namespace, name);
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /** Stops every runner (a deliberate server shutdown); resolves when all have exited. */
  async shutdown(gracePeriodMs = 5_000): Promise<void> {
    const running = [...this.entries.values()].filter((entry) => entry.process?.isRunning());
    await Promise.all(
      running.map(
        (entry) =>
          new Promise<void>((resolve) => {
            entry.process!.onExit(() => resolve());
            this.terminate(entry, gracePeriodMs);
          }),
      ),
    );
  }

  private gracePeriodMs(): number {
    return this.options.defaultGracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS;
  }

  private start(key: string, entry: Entry, spec: WorkloadSpec, workspace: string): void {
    const [executable, ...args] = this.options.command;
    if (!executable) throw new Error('ProcessWorkloadRuntime: empty runner command');
    rmSync(join(workspace, EXIT_STATUS_FILE), { force: true });
    // Output goes straight to a file (not a pipe to us), so the runner survives a server crash.
    const logFd = openSync(join(workspace, '.ambient', `${spec.name}.log`), 'a');
    const child = spawn(executable, args, {
      cwd: workspace,
      env: { ...this.options.baseEnv, ...spec.env, ...spec.secretEnv, AMBIENT_WORKSPACE_DIR: workspace },
      stdio: ['ignore', logFd, logFd],
      // Its own process group, so tool processes the agent started can be reaped with it.
      detached: true,
    });
    closeSync(logFd);
    entry.process = childRunner(child);
    child.once('spawn', () => {
      const startedAt = new Date().toISOString();
      entry.status = { ...entry.status, phase: 'Running', startedAt };
      if (child.pid) this.writePidRecord(key, { pid: child.pid, namespace: spec.namespace, name: spec.name, workspace, startedAt });
      this.notify(spec.namespace, spec.name);
    });
    child.once('error', (error) => {
      entry.status = { ...entry.status, phase: 'Failed', reason: 'StartError', message: `could not start the runner: ${error.message}`, finishedAt: new Date().toISOString() };
      this.notify(spec.namespace, spec.name);
    });
    this.observe(key, entry, spec.namespace, spec.name, spec.activeDeadlineSeconds);
  }

  private observe(key: string, entry: Entry, namespace: string, name: string, activeDeadlineSeconds?: number): void {
    entry.process!.onExit((exitCode, signal) => {
      clearTimeout(entry.deadlineTimer);
      clearTimeout(entry.killTimer);
      // Whatever the runner left behind in its group (a Bash tool's children) goes with it.
      entry.process!.signalGroup('SIGKILL');
      rmSync(this.pidFile(key), { force: true });
      entry.status = {
        ...entry.status,
        phase: exitCode === 0 ? 'Succeeded' : 'Failed',
        exitCode,
        finishedAt: new Date().toISOString(),
        reason: entry.status.reason ?? (signal ? 'Killed' : exitCode === 0 ? 'Completed' : 'Error'),
      };
      if (entry.deleteRequested) this.entries.delete(key);
      this.notify(namespace, name);
    });
    if (activeDeadlineSeconds) {
      const startedAt = entry.status.startedAt ? Date.parse(entry.status.startedAt) : Date.now();
      const remainingMs = Math.max(0, startedAt + activeDeadlineSeconds * 1000 - Date.now());
      entry.deadlineTimer = setTimeout(() => {
        entry.status = { ...entry.status, reason: 'DeadlineExceeded', message: `run exceeded ${activeDeadlineSeconds}s` };
        this.terminate(entry, this.gracePeriodMs());
      }, remainingMs);
      entry.deadlineTimer.unref();
    }
  }

  private terminate(entry: Entry, gracePeriodMs: number): void {
    const runner = entry.process;
    if (!runner?.isRunning()) return;
    runner.signal('SIGTERM');
    if (entry.killTimer) return;
    entry.killTimer = setTimeout(() => runner.signalGroup('SIGKILL'), gracePeriodMs);
    entry.killTimer.unref();
  }

  private notify(namespace: string, name: string): void {
    this.emitter.emit('change', namespace, name);
  }

  private pidFile(key: string): string {
    return join(this.pidDir, `${key.replace('/', '__')}.json`);
  }

  private writePidRecord(key: string, record: PidRecord): void {
    writeFileSync(this.pidFile(key), JSON.stringify(record));
  }

  /** Takes over runners a previous server process started; forgets records of dead ones. */
  private adoptLeftovers(): void {
    for (const file of readdirSync(this.pidDir)) {
      const path = join(this.pidDir, file);
      let record: PidRecord | undefined;
      try {
        record = JSON.parse(readFileSync(path, 'utf8')) as PidRecord;
      } catch {
        record = undefined;
      }
      if (!record || !this.isOurRunner(record.pid)) {
        rmSync(path, { force: true });
        continue;
      }
      const key = keyOf(record.namespace, record.name);
      const entry: Entry = {
        status: { name: record.name, namespace: record.namespace, phase: 'Running', startedAt: record.startedAt ?? statSync(path).mtime.toISOString() },
        process: adoptedRunner(record.pid, record.workspace),
        deleteRequested: false,
      };
      this.entries.set(key, entry);
      this.observe(key, entry, record.namespace, record.name);
    }
  }

  /** Guards against PID reuse: only a live process running our runner command counts. */
  private isOurRunner(pid: number): boolean {
    const marker = this.options.command[this.options.command.length - 1] ?? '';
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
    } catch {
      return false;
    }
  }
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
