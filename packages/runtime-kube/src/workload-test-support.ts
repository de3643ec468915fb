/**
 * Test support for the cluster tests of this package (job-runtime.test.ts, deploy-manifests.test.ts):
 * kubectl against the test cluster, and the platform's CRDs installed from deploy/base/crds.
 * kubectl (1.32 here) warns about its version skew with the 1.20 test server; that is harmless.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEPLOY_DIRECTORY = `${REPOSITORY_ROOT}deploy`;

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl with `args` (and `input` on stdin); never throws for a non-zero exit. */
export function kubectl(
  kubeconfigPath: string | undefined,
  args: string[],
  input?: string,
): Promise<CommandResult> {
  const fullArgs = kubeconfigPath ? ['--kubeconfig', kubeconfigPath, ...args] : args;
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      fullArgs,
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ exitCode, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function kubectlOrThrow(
  kubeconfigPath: string,
  args: string[],
  input?: string,
): Promise<string> {
  const result = await kubectl(kubeconfigPath, args, input);
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** Applies the generated CRDs (idempotent; several test files may share a cluster) and waits for them. */
export async function installPlatformCrds(kubeconfigPath: string): Promise<void> {
  await kubectlOrThrow(kubeconfigPath, ['apply', '-k', `${DEPLOY_DIRECTORY}/base/crds`]);
  await kubectlOrThrow(kubeconfigPath, [
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    'crd/agenticsessions.vteam.ambient-code',
    'crd/projectsettings.vteam.ambient-code',
    'crd/rfeworkflows.vteam.ambient-code',
  ]);
}
