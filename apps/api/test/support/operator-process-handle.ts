/**
 * The test's side of operator-process.ts: spawns it, waits until it leads, and kills it. Kept apart
 * from cluster-platform.ts so the child process does not import the whole fixture.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '../../src/runner-command.ts';

/** Short Lease timings, so a killed operator's Lease expires within seconds. */
export const TEST_LEASE_TIMINGS = { leaseDurationMs: 4_000, renewDeadlineMs: 3_000, retryPeriodMs: 500 } as const;

export interface OperatorProcess {
  child: ChildProcess;
  /** stdout and stderr so far (for failure messages). */
  output(): string;
  /** SIGKILL: the operator dies wherever it is. Resolves when the process is gone. */
  kill(): Promise<void>;
}

export async function spawnOperatorProcess(options: {
  entryPath: string;
  environment: Record<string, string>;
  leadingTimeoutMs: number;
}): Promise<OperatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', options.entryPath], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', ...options.environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the operator process did not lead within ${options.leadingTimeoutMs} ms:\n${output}`));
    }, options.leadingTimeoutMs);
    child.stdout?.on('data', () => {
      if (!/^leading$/m.test(output)) return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the operator process exited (${code ?? signal}) before leading:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
