/**
 * What must hold before Claude Code can run. A failure ends the runner with exit code 2
 * (RUNNER_EXIT.prerequisiteFailed), which the controller shows as a PrerequisiteFailed condition.
 */
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunnerConfig } from './config.ts';
import { hasAlternativeModelAccess } from './config.ts';

export interface PrerequisiteReport {
  problems: string[];
  workspaceWritable: boolean;
}

export function checkPrerequisites(config: RunnerConfig): PrerequisiteReport {
  const problems: string[] = [];
  if (!config.model.apiKey && !hasAlternativeModelAccess(config.model)) {
    problems.push(
      'ANTHROPIC_API_KEY is not set (nor Vertex AI / Bedrock): Claude Code cannot reach the model; set it in the project runner secrets',
    );
  }
  if (!config.spec.interactive && !config.spec.initialPrompt && !config.resumeSdkSessionId) {
    // It would wait forever: nothing else ever starts a non-interactive session's one run.
    problems.push('a non-interactive session needs an initialPrompt');
  }
  const workspaceWritable = isWritableDirectory(config.workspaceDir);
  if (!workspaceWritable)
    problems.push(`the workspace ${config.workspaceDir} is not a writable directory`);
  return { problems, workspaceWritable };
}

/** Tries a real write: permission bits lie for root, read-only mounts and full disks. */
function isWritableDirectory(directory: string): boolean {
  try {
    accessSync(directory, constants.W_OK);
    const stateDir = join(directory, '.ambient');
    mkdirSync(stateDir, { recursive: true });
    const probe = join(stateDir, `.write-probe-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
    return true;
  } catch {
    return false;
  }
}
