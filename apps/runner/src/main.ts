/**
 * Entry point of the runner process (one per running session):
 *   node --import tsx apps/runner/src/main.ts
 * with the RUNNER_ENV variables set and cwd = the session workspace. Exits with a RUNNER_EXIT code.
 * With AMBIENT_RUNNER_MODE=serve-workspace it is the workspace viewer instead (workspace-viewer.ts).
 * Wiring only; the logic lives in runner.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNNER_ENV, RUNNER_EXIT, RUNNER_MODE } from '@ambient/contracts';
import { createLogger } from './log.ts';
import { describeError } from './redact.ts';
import { runRunner } from './runner.ts';
import { runWorkspaceViewer } from './workspace-viewer.ts';

// Known before the configuration is read; runner.ts adds credentials found in repo URLs.
const secrets = [
  'AMBIENT_RUNNER_TOKEN',
  'ANTHROPIC_API_KEY',
  'GITHUB_TOKEN',
  'GITLAB_TOKEN',
  'GIT_TOKEN',
].map((name) => process.env[name]);
const log = createLogger({ secrets });
const isWorkspaceViewer = process.env[RUNNER_ENV.mode] === RUNNER_MODE.serveWorkspace;

// A bug must end the process with a clear (and redacted) message, not a stack full of env values.
process.on('uncaughtException', (error) => {
  log.error(`uncaught exception: ${describeError(error, secrets)}`);
  recordExit(RUNNER_EXIT.crash);
  process.exit(RUNNER_EXIT.crash);
});
process.on('unhandledRejection', (reason) => {
  log.error(`unhandled rejection: ${describeError(reason, secrets)}`);
  recordExit(RUNNER_EXIT.crash);
  process.exit(RUNNER_EXIT.crash);
});

/**
 * The exit code, for a server that adopted this runner after a restart (it is not our parent then
 * and cannot see the code otherwise). Best effort: the workspace may be gone.
 */
function recordExit(code: number): void {
  // A viewer is no run: an exit status of its own would be mistaken for the last run's.
  if (isWorkspaceViewer) return;
  try {
    const workspace = process.env[RUNNER_ENV.workspaceDir] ?? process.cwd();
    writeFileSync(join(workspace, '.ambient', 'exit-status.json'), JSON.stringify({ pid: process.pid, code }));
  } catch {
    // Nothing to record into.
  }
}

if (isWorkspaceViewer) {
  process.exit(await runWorkspaceViewer({ env: process.env, signals: process, log }));
}

const code = await runRunner({ env: process.env, signals: process, log, exit: (exitCode) => {
  recordExit(exitCode);
  process.exit(exitCode);
} });
recordExit(code);
process.exit(code);
