/** The embedded WorkloadRuntime (child processes) against the shared WorkloadRuntime contract. */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWorkloadRuntimeContract, writeWorkloadContractRunner } from '@ambient/testing';
import { ProcessWorkloadRuntime } from './process-runtime.ts';

describeWorkloadRuntimeContract('ProcessWorkloadRuntime', async () => {
  const baseDirectory = mkdtempSync(join(tmpdir(), 'process-runtime-contract-'));
  const runtime = new ProcessWorkloadRuntime({
    baseDir: baseDirectory,
    command: [process.execPath, writeWorkloadContractRunner(baseDirectory)],
    baseEnv: { PATH: process.env['PATH'] ?? '' },
    defaultGracePeriodMs: 2_000,
  });
  const namespace = 'contract';
  return {
    runtime,
    namespace,
    // Embedded sessions own their runs through the controller alone: no owner object to create.
    createSession: async () => randomUUID(),
    async visibleDefinition(name) {
      // What another local user could read: the status, the PID record and the command line.
      const pidRecordPath = join(baseDirectory, 'runners', `${namespace}__${name}.json`);
      const pidRecord = existsSync(pidRecordPath) ? readFileSync(pidRecordPath, 'utf8') : '';
      const pid = pidRecord ? (JSON.parse(pidRecord) as { pid: number }).pid : undefined;
      const commandLine =
        pid && existsSync(`/proc/${pid}/cmdline`)
          ? readFileSync(`/proc/${pid}/cmdline`, 'utf8')
          : '';
      return JSON.stringify({ status: await runtime.get(namespace, name), pidRecord, commandLine });
    },
    async cleanup() {
      await runtime.shutdown(500);
      rmSync(baseDirectory, { recursive: true, force: true });
    },
  };
});
