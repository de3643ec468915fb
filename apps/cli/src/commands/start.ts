/**
 * `ambient start`: the embedded platform in the foreground, exactly as `npm start` runs it, with
 * this terminal's stdio and environment. The CLI only launches it; the platform is apps/api.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { parsePort } from '../arguments.ts';
import type { CliContext } from '../context.ts';

const EMBEDDED_ENTRY = fileURLToPath(new URL('../../../api/src/main-embedded.ts', import.meta.url));

interface StartOptions {
  port?: number;
  dataDir?: string;
}

/** Exit code of a child, the way shells report one that died of a signal (128 + number). */
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGKILL: 9,
  SIGTERM: 15,
};

export function registerStartCommand(program: Command, context: CliContext): void {
  program
    .command('start')
    .description('start the embedded platform in the foreground (Ctrl-C stops it)')
    .option('--port <port>', 'port to listen on (0 picks a free one; default 8080)', parsePort)
    .option('--data-dir <directory>', 'database, workspaces and secrets (default .ambient)')
    .action(async (options: StartOptions) => {
      context.exitCode = await runEmbeddedPlatform(context, options);
    });
}

async function runEmbeddedPlatform(context: CliContext, options: StartOptions): Promise<number> {
  const environment: NodeJS.ProcessEnv = { ...context.environment };
  if (options.port !== undefined) environment['PORT'] = String(options.port);
  if (options.dataDir !== undefined) environment['AMBIENT_DATA_DIR'] = options.dataDir;
  // Resolved from here, not from the user's working directory, which may be outside the repo.
  const tsxLoader = import.meta.resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsxLoader, EMBEDDED_ENTRY], {
    stdio: 'inherit',
    env: environment,
  });
  // Ctrl-C reaches the platform directly (same process group) and it shuts down gracefully; this
  // process must outlive it to report its exit code. Other stop requests are passed on.
  const ignoreInterrupt = (): void => undefined;
  const forwardTerminate = (): void => void child.kill('SIGTERM');
  process.on('SIGINT', ignoreInterrupt);
  process.on('SIGTERM', forwardTerminate);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        resolve(code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0));
      });
    });
  } finally {
    process.off('SIGINT', ignoreInterrupt);
    process.off('SIGTERM', forwardTerminate);
  }
}
