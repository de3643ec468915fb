import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkloadSpec } from '@ambient/core';
import { ProcessWorkloadRuntime } from './process-runtime.ts';

/** A stand-in runner: writes its env to a file, then behaves as the SCRIPT_MODE env says. */
const SCRIPT = `
const fs = require('node:fs');
fs.writeFileSync('env.json', JSON.stringify({ ws: process.env.AMBIENT_WORKSPACE_DIR, secret: process.env.SECRET, cwd: process.cwd() }));
const mode = process.env.SCRIPT_MODE;
if (mode === 'exit3') process.exit(3);
if (mode === 'ignore-term') process.on('SIGTERM', () => {});
if (mode === 'graceful') process.on('SIGTERM', () => {
  fs.writeFileSync('stopped', 'yes');
  fs.writeFileSync('.ambient/exit-status.json', JSON.stringify({ pid: process.pid, code: 3 }));
  process.exit(3);
});
fs.writeFileSync('ready', 'yes');
setInterval(() => {}, 1000);
`;

function waitFor(predicate: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = async (): Promise<void> => {
      if (await predicate()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('timed out'));
      else setTimeout(tick, 20);
    };
    void tick();
  });
}

describe('ProcessWorkloadRuntime', () => {
  let baseDir: string;
  let runtime: ProcessWorkloadRuntime;

  beforeEach(() => {
    baseDir = mkdtempSync(join(tmpdir(), 'process-runtime-'));
    const script = join(baseDir, 'fake-runner.cjs');
    writeFileSync(script, SCRIPT);
    runtime = new ProcessWorkloadRuntime({
      baseDir,
      command: [process.execPath, script],
      baseEnv: { PATH: process.env['PATH'] ?? '' },
      defaultGracePeriodMs: 300,
    });
  });

  afterEach(async () => {
    await runtime.shutdown(100);
    rmSync(baseDir, { recursive: true, force: true });
  });

  function spec(name: string, mode: string, extra: Partial<WorkloadSpec> = {}): WorkloadSpec {
    return {
      name,
      namespace: 'p1',
      sessionName: 's1',
      sessionUid: 'u1',
      workspaceName: 's1',
      env: { SCRIPT_MODE: mode },
      secretEnv: { SECRET: 'shh' },
      ...extra,
    };
  }

  it('starts once per name, in the session workspace, with env and secret env', async () => {
    const first = await runtime.ensure(spec('s1-run-1', 'exit3'));
    const second = await runtime.ensure(spec('s1-run-1', 'exit3'));
    expect(second.name).toBe(first.name);
    await waitFor(async () => (await runtime.get('p1', 's1-run-1'))?.phase === 'Failed');
    const status = await runtime.get('p1', 's1-run-1');
    expect(status?.exitCode).toBe(3);
    const workspace = runtime.workspacePath('p1', 's1');
    const seen = JSON.parse(readFileSync(join(workspace, 'env.json'), 'utf8'));
    expect(seen).toEqual({ ws: workspace, secret: 'shh', cwd: workspace });
  });

  it('stops gracefully with SIGTERM and forgets a deleted workload once it exits', async () => {
    const changes: string[] = [];
    runtime.watch((_namespace, name) => changes.push(name));
    await runtime.ensure(spec('s1-run-1', 'graceful'));
    // Wait until the stand-in has installed its SIGTERM handler, not merely until it spawned.
    await waitFor(async () => existsSync(join(runtime.workspacePath('p1', 's1'), 'ready')));
    await runtime.delete('p1', 's1-run-1');
    await waitFor(async () => (await runtime.get('p1', 's1-run-1')) === undefined);
    expect(readFileSync(join(runtime.workspacePath('p1', 's1'), 'stopped'), 'utf8')).toBe('yes');
    expect(changes.length).toBeGreaterThanOrEqual(2);
  });

  it('kills a runner that ignores SIGTERM after the grace period', async () => {
    await runtime.ensure(spec('s1-run-1', 'ignore-term'));
    await waitFor(async () => (await runtime.get('p1', 's1-run-1'))?.phase === 'Running');
    await runtime.delete('p1', 's1-run-1', { gracePeriodMs: 100 });
    await waitFor(async () => (await runtime.get('p1', 's1-run-1')) === undefined);
  });

  it('enforces activeDeadlineSeconds with reason DeadlineExceeded', async () => {
    await runtime.ensure(spec('s1-run-1', 'ignore-term', { activeDeadlineSeconds: 1 }));
    await waitFor(async () => (await runtime.get('p1', 's1-run-1'))?.phase === 'Failed', 5_000);
    expect((await runtime.get('p1', 's1-run-1'))?.reason).toBe('DeadlineExceeded');
  });

  it('adopts a runner left by a previous server process, and reads its exit code', async () => {
    await runtime.ensure(spec('s1-run-1', 'graceful'));
    await waitFor(async () => existsSync(join(runtime.workspacePath('p1', 's1'), 'ready')));
    // A new runtime over the same directory stands for the restarted server.
    const restarted = new ProcessWorkloadRuntime({
      baseDir,
      command: [process.execPath, join(baseDir, 'fake-runner.cjs')],
      defaultGracePeriodMs: 300,
    });
    const adopted = await restarted.get('p1', 's1-run-1');
    expect(adopted?.phase).toBe('Running');
    await restarted.delete('p1', 's1-run-1');
    await waitFor(async () => (await restarted.get('p1', 's1-run-1')) === undefined);
    expect(readFileSync(join(runtime.workspacePath('p1', 's1'), 'stopped'), 'utf8')).toBe('yes');
  });

  it('reports the exit code an adopted runner recorded', async () => {
    await runtime.ensure(spec('s1-run-1', 'graceful'));
    await waitFor(async () => existsSync(join(runtime.workspacePath('p1', 's1'), 'ready')));
    const restarted = new ProcessWorkloadRuntime({ baseDir, command: [process.execPath, join(baseDir, 'fake-runner.cjs')] });
    const pid = JSON.parse(readFileSync(join(baseDir, 'runners', 'p1__s1-run-1.json'), 'utf8')).pid as number;
    process.kill(pid, 'SIGTERM');
    await waitFor(async () => (await restarted.get('p1', 's1-run-1'))?.phase === 'Failed');
    expect((await restarted.get('p1', 's1-run-1'))?.exitCode).toBe(3);
  });
});
