/**
 * The WorkloadRuntime contract: what the session controller relies on, whichever adapter runs the
 * runner (embedded: a child process; cluster: a batch/v1 Job on a PVC).
 *
 * The suite drives a small stand-in runner (WORKLOAD_CONTRACT_RUNNER_SOURCE, CommonJS for plain
 * `node`), which each adapter's test file writes with `writeWorkloadContractRunner` and wires as its
 * runner command. The stand-in behaves as its env says (`CONTRACT_MODE`) and reports what it saw to
 * files in `CONTRACT_REPORT_DIR`, a host directory: both adapters run processes on this machine in
 * tests (the cluster one through the process kubelet), so the reports need no adapter-specific path.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkloadPhase, WorkloadRuntime, WorkloadSpec, WorkloadStatus } from '@ambient/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uniqueName, waitUntil } from './assertions.ts';

export const WORKLOAD_CONTRACT_RUNNER_SOURCE = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const env = process.env;
const report = (file, content) => fs.writeFileSync(path.join(env.CONTRACT_REPORT_DIR, env.CONTRACT_RUN + '.' + file), content);
fs.appendFileSync(path.join(env.CONTRACT_REPORT_DIR, env.CONTRACT_RUN + '.starts'), 'started\\n');
const workspace = env.AMBIENT_WORKSPACE_DIR;
report('context', JSON.stringify({
  cwdIsWorkspace: fs.realpathSync(process.cwd()) === fs.realpathSync(workspace),
  secretSha256: env.CONTRACT_SECRET ? crypto.createHash('sha256').update(env.CONTRACT_SECRET).digest('hex') : null,
}));
const mode = env.CONTRACT_MODE;
if (mode === 'exit') process.exit(Number(env.CONTRACT_EXIT_CODE));
if (mode === 'write-note') {
  fs.writeFileSync(path.join(workspace, 'note.txt'), env.CONTRACT_NOTE);
  process.exit(0);
}
if (mode === 'read-note') {
  report('note', fs.readFileSync(path.join(workspace, 'note.txt'), 'utf8'));
  process.exit(0);
}
process.on('SIGTERM', () => {
  report('terminated', 'SIGTERM');
  process.exit(143);
});
report('ready', 'yes');
setInterval(() => {}, 1000);
`;

/** Writes the stand-in runner into `directory` and returns its path (run it as `node <path>`). */
export function writeWorkloadContractRunner(directory: string): string {
  const path = join(directory, 'workload-contract-runner.cjs');
  writeFileSync(path, WORKLOAD_CONTRACT_RUNNER_SOURCE);
  return path;
}

export interface WorkloadRuntimeHarness {
  runtime: WorkloadRuntime;
  /** A namespace (project) of this test's own. */
  namespace: string;
  /** Creates what owns a session's workloads (cluster: the AgenticSession) and returns its uid. */
  createSession(sessionName: string): Promise<string>;
  /**
   * What someone without access to Secrets can read about a workload: cluster, the Job and its
   * Pods as JSON; embedded, the status, the PID record and the process's command line.
   */
  visibleDefinition(name: string): Promise<string>;
  cleanup(): Promise<void>;
}

export interface WorkloadRuntimeContractOptions {
  /** Upper bound for a workload to start, end or disappear (a cluster schedules and syncs first). */
  timeoutMs?: number;
  /** Grace period the suite passes to `delete`. */
  gracePeriodMs?: number;
}

const TERMINAL: readonly WorkloadPhase[] = ['Succeeded', 'Failed'];

export function describeWorkloadRuntimeContract(
  name: string,
  makeHarness: () => Promise<WorkloadRuntimeHarness>,
  options: WorkloadRuntimeContractOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const gracePeriodMs = options.gracePeriodMs ?? 5_000;
  const timing = { timeoutMs, quietPeriodMs: 50 };
  // Several waits per test, each bounded by timeoutMs.
  const testTimeoutMs = timeoutMs * 4;

  describe(`WorkloadRuntime contract: ${name}`, () => {
    let current: { harness: WorkloadRuntimeHarness; reportDirectory: string } | undefined;
    const stops: (() => void)[] = [];
    const harness = (): WorkloadRuntimeHarness => {
      if (!current) throw new Error('the workload runtime harness is only available inside a test');
      return current.harness;
    };
    const reportDirectory = (): string => current?.reportDirectory ?? '';
    const reportPath = (run: string, file: string): string =>
      join(reportDirectory(), `${run}.${file}`);
    const readReport = (run: string, file: string): string | undefined =>
      existsSync(reportPath(run, file)) ? readFileSync(reportPath(run, file), 'utf8') : undefined;

    beforeEach(async () => {
      current = {
        harness: await makeHarness(),
        reportDirectory: mkdtempSync(join(tmpdir(), 'workload-contract-')),
      };
    });
    afterEach(async () => {
      for (const stop of stops.splice(0)) stop();
      const finished = current;
      current = undefined;
      await finished?.harness.cleanup();
      if (finished) rmSync(finished.reportDirectory, { recursive: true, force: true });
    });

    async function session(
      sessionName = uniqueName('session'),
    ): Promise<{ name: string; uid: string }> {
      return { name: sessionName, uid: await harness().createSession(sessionName) };
    }

    function spec(
      owner: { name: string; uid: string },
      run: number,
      env: Record<string, string>,
      extra: Partial<WorkloadSpec> = {},
    ): WorkloadSpec {
      const runName = `${owner.name}-run-${run}`;
      return {
        name: runName,
        namespace: harness().namespace,
        sessionName: owner.name,
        sessionUid: owner.uid,
        workspaceName: owner.name,
        env: { CONTRACT_RUN: runName, CONTRACT_REPORT_DIR: reportDirectory(), ...env },
        secretEnv: {},
        labels: { 'agentic-session': owner.name, app: 'ambient-code-runner' },
        ...extra,
      };
    }

    async function waitForPhase(
      runName: string,
      phases: readonly WorkloadPhase[],
    ): Promise<WorkloadStatus> {
      let status: WorkloadStatus | undefined;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        status = await harness().runtime.get(harness().namespace, runName);
        if (status && phases.includes(status.phase)) return status;
        if (Date.now() > deadline)
          throw new Error(
            `timed out: ${runName} is ${status?.phase ?? 'absent'}, expected ${phases.join('|')}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    async function waitForAbsence(runName: string): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while ((await harness().runtime.get(harness().namespace, runName)) !== undefined) {
        if (Date.now() > deadline) throw new Error(`timed out: ${runName} still exists`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    it(
      'reports nothing for an unknown workload, and deleting one is a no-op',
      { timeout: testTimeoutMs },
      async () => {
        expect(await harness().runtime.get(harness().namespace, 'no-such-run-1')).toBeUndefined();
        await harness().runtime.delete(harness().namespace, 'no-such-run-1');
        await harness().runtime.deleteWorkspace(harness().namespace, 'no-such-session');
      },
    );

    it(
      'starts one workload per name however often ensure is called',
      { timeout: testTimeoutMs },
      async () => {
        const owner = await session();
        const workload = spec(owner, 1, { CONTRACT_MODE: 'exit', CONTRACT_EXIT_CODE: '0' });
        const [first, second] = await Promise.all([
          harness().runtime.ensure(workload),
          harness().runtime.ensure(workload),
        ]);
        expect(first.name).toBe(workload.name);
        expect(second.name).toBe(workload.name);
        expect(['Pending', 'Running', 'Succeeded']).toContain(first.phase);
        await waitForPhase(workload.name, TERMINAL);
        const again = await harness().runtime.ensure(workload);
        expect(again.phase).toBe('Succeeded');
        expect(readReport(workload.name, 'starts')).toBe('started\n');
      },
    );

    it(
      'goes to Succeeded with exit code 0, in the session workspace',
      { timeout: testTimeoutMs },
      async () => {
        const owner = await session();
        const workload = spec(owner, 1, { CONTRACT_MODE: 'exit', CONTRACT_EXIT_CODE: '0' });
        const started = await harness().runtime.ensure(workload);
        expect(['Pending', 'Running', 'Succeeded']).toContain(started.phase);
        const status = await waitForPhase(workload.name, TERMINAL);
        expect(status).toMatchObject({
          name: workload.name,
          namespace: harness().namespace,
          phase: 'Succeeded',
          exitCode: 0,
        });
        expect(status.startedAt).toBeDefined();
        expect(status.finishedAt).toBeDefined();
        expect(JSON.parse(readReport(workload.name, 'context') ?? '{}')).toMatchObject({
          cwdIsWorkspace: true,
        });
      },
    );

    it(
      'goes to Failed with the exit code of a failing runner',
      { timeout: testTimeoutMs },
      async () => {
        const owner = await session();
        const workload = spec(owner, 1, { CONTRACT_MODE: 'exit', CONTRACT_EXIT_CODE: '3' });
        await harness().runtime.ensure(workload);
        expect(await waitForPhase(workload.name, TERMINAL)).toMatchObject({
          phase: 'Failed',
          exitCode: 3,
        });
      },
    );

    it(
      'fails a workload that outlives activeDeadlineSeconds with reason DeadlineExceeded',
      { timeout: testTimeoutMs },
      async () => {
        const owner = await session();
        const workload = spec(owner, 1, { CONTRACT_MODE: 'wait' }, { activeDeadlineSeconds: 2 });
        await harness().runtime.ensure(workload);
        const status = await waitForPhase(workload.name, TERMINAL);
        expect(status).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
        await waitUntil(
          () => readReport(workload.name, 'terminated') === 'SIGTERM',
          'the runner got SIGTERM',
          timing,
        );
        expect(readReport(workload.name, 'starts')).toBe('started\n');
      },
    );

    it(
      'stops a running workload gracefully on delete, then forgets it',
      { timeout: testTimeoutMs },
      async () => {
        const owner = await session();
        const workload = spec(owner, 1, { CONTRACT_MODE: 'wait' });
        await harness().runtime.ensure(workload);
        await waitForPhase(workload.name, ['Running']);
        // Running means started; the stand-in has its SIGTERM handler once it reports ready.
        await waitUntil(
          () => readReport(workload.name, 'ready') === 'yes',
          'the runner is ready',
          timing,
        );
        await harness().runtime.delete(harness().namespace, workload.name, { gracePeriodMs });
        await waitForAbsence(workload.name);
        expect(readReport(workload.name, 'terminated')).toBe('SIGTERM');
        // Stopping never starts a replacement runner (a Job controller might, for a deleted pod).
        expect(readReport(workload.name, 'starts')).toBe('started\n');
      },
    );

    it(
      'keeps the workspace across runs of the same session',
      { timeout: testTimeoutMs },
      async () => {
        const owner = await session();
        const note = `note-${randomBytes(6).toString('hex')}`;
        const first = spec(owner, 1, { CONTRACT_MODE: 'write-note', CONTRACT_NOTE: note });
        await harness().runtime.ensure(first);
        expect(await waitForPhase(first.name, TERMINAL)).toMatchObject({ phase: 'Succeeded' });
        const second = spec(owner, 2, { CONTRACT_MODE: 'read-note' });
        await harness().runtime.ensure(second);
        expect(await waitForPhase(second.name, TERMINAL)).toMatchObject({ phase: 'Succeeded' });
        expect(readReport(second.name, 'note')).toBe(note);
      },
    );

    it(
      'hands secretEnv to the runner without showing it in the workload definition',
      { timeout: testTimeoutMs },
      async () => {
        const owner = await session();
        const secret = `secret-${randomBytes(12).toString('hex')}`;
        const workload = {
          ...spec(owner, 1, { CONTRACT_MODE: 'wait' }),
          secretEnv: { CONTRACT_SECRET: secret },
        };
        await harness().runtime.ensure(workload);
        await waitUntil(
          () => readReport(workload.name, 'ready') === 'yes',
          'the runner is ready',
          timing,
        );
        const context = JSON.parse(readReport(workload.name, 'context') ?? '{}') as {
          secretSha256?: string;
        };
        expect(context.secretSha256).toBe(createHash('sha256').update(secret).digest('hex'));
        const visible = await harness().visibleDefinition(workload.name);
        expect(visible).toContain(workload.name);
        expect(visible).not.toContain(secret);
        await harness().runtime.delete(harness().namespace, workload.name, { gracePeriodMs });
        await waitForAbsence(workload.name);
      },
    );

    it(
      'notifies watchers of changes until they unsubscribe',
      { timeout: testTimeoutMs },
      async () => {
        const owner = await session();
        const observed: string[] = [];
        const stop = harness().runtime.watch((namespace, runName) => {
          if (namespace !== harness().namespace) return;
          // A watcher re-reads on notification, as the controller does: it must see the final state.
          void harness()
            .runtime.get(namespace, runName)
            .then((status) => observed.push(`${runName}:${status?.phase ?? 'absent'}`));
        });
        stops.push(stop);
        const workload = spec(owner, 1, { CONTRACT_MODE: 'exit', CONTRACT_EXIT_CODE: '0' });
        await harness().runtime.ensure(workload);
        await waitUntil(
          () => observed.includes(`${workload.name}:Succeeded`),
          `a notification showing ${workload.name} Succeeded`,
          timing,
        );
        stop();
        const later = spec(owner, 2, { CONTRACT_MODE: 'exit', CONTRACT_EXIT_CODE: '0' });
        await harness().runtime.ensure(later);
        await waitForPhase(later.name, TERMINAL);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(observed.filter((entry) => entry.startsWith(`${later.name}:`))).toEqual([]);
      },
    );
  });
}
