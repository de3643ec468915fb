/**
 * Starts the Claude Code CLI so that it dies with the runner. The SDK's own spawn leaves the CLI
 * running when the runner is SIGKILLed (it finishes its turn, tools included, while a resumed
 * runner already drives the same conversation and workspace). `setpriv --pdeathsig SIGKILL`
 * (util-linux) asks the kernel to kill the CLI when its parent dies; without setpriv, plain spawn.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { SpawnedProcess, SpawnOptions } from '@anthropic-ai/claude-agent-sdk';

const SETPRIV_CANDIDATES = ['/usr/bin/setpriv', '/bin/setpriv'];

export function findSetpriv(): string | undefined {
  return SETPRIV_CANDIDATES.find((path) => existsSync(path));
}

export function createClaudeSpawner(
  onStderr: (data: string) => void,
  setprivPath: string | undefined = findSetpriv(),
): (options: SpawnOptions) => SpawnedProcess {
  return (options) => {
    // setpriv execs the CLI in place: same pid, so the SDK's kill() still reaches it.
    const [command, args] = setprivPath
      ? [setprivPath, ['--pdeathsig', 'SIGKILL', '--', options.command, ...options.args]]
      : [options.command, options.args];
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
    });
    child.stderr.setEncoding('utf8').on('data', onStderr);
    return child;
  };
}
