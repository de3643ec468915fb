/**
 * Runs the git CLI for the runner's own work (cloning), bounded in time, with a given environment
 * (never the runner's own: it holds the runner token). Errors carry git's stderr, which the
 * caller must redact before it goes anywhere.
 */
import { execFile } from 'node:child_process';

export interface GitCommandOptions {
  cwd?: string;
  env: Record<string, string>;
  timeoutMs: number;
}

export interface GitCommandResult {
  stdout: string;
  stderr: string;
}

export class GitCommandError extends Error {
  override name = 'GitCommandError';
  constructor(
    message: string,
    readonly stderr: string,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export function runGit(args: string[], options: GitCommandOptions): Promise<GitCommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: options.env,
        timeout: options.timeoutMs,
        // SIGTERM lets git remove its temporary files and stop its remote helper.
        killSignal: 'SIGTERM',
        maxBuffer: MAX_OUTPUT_BYTES,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr });
          return;
        }
        const timedOut = error.killed === true && error.signal === 'SIGTERM';
        const reason = timedOut
          ? `git ${args[0] ?? ''} did not finish within ${Math.round(options.timeoutMs / 1000)} s`
          : gitReason(stderr) || error.message;
        reject(new GitCommandError(reason, stderr, timedOut));
      },
    );
  });
}

/** The lines of git's stderr that say what went wrong (`fatal:`, `error:`, `remote:`), else the last. */
export function gitReason(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const telling = lines.filter((line) => /^(fatal|error|remote):/i.test(line));
  return (telling.length > 0 ? telling : lines.slice(-1)).join(' ');
}
