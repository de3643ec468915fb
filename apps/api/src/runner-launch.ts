/**
 * How the embedded platform launches runners: the command line, and the environment of one run
 * (RUNNER_ENV contract). Secrets go in `secretEnv` so the cluster runtime can put them in a Secret.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { RUNNER_ENV } from '@ambient/contracts';
import type { AgenticSession } from '@ambient/contracts';
import { mintRunnerToken } from '@ambient/core';
import type { Clock, Stored } from '@ambient/core';
import type { RunnerLaunch } from '@ambient/reconcilers';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Interactive sessions without a timeout still get a bounded credential. */
const DEFAULT_TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600;
const TOKEN_LIFETIME_MARGIN_SECONDS = 3600;

export function runnerCommand(): string[] {
  const loader = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
  const main = join(REPO_ROOT, 'apps', 'runner', 'src', 'main.ts');
  if (!existsSync(loader)) throw new Error(`tsx loader not found at ${loader}; run npm install`);
  return [process.execPath, '--import', loader, main];
}

export interface LaunchSettings {
  /** Read at launch time: the embedded server learns its port only once it listens. */
  serverUrl: () => string;
  runnerTokenSecret: string;
  anthropicApiKey?: string;
  anthropicBaseUrl?: string;
  claudeMaxRetries?: string;
  clock: Clock;
}

export function createRunnerLauncher(settings: LaunchSettings) {
  return async function launchRunner(session: Stored<AgenticSession>, runNumber: number): Promise<RunnerLaunch> {
    const timeoutSeconds = session.spec.timeout;
    const nowSeconds = Math.floor(settings.clock.now().getTime() / 1000);
    const token = mintRunnerToken(
      {
        project: session.metadata.namespace ?? '',
        sessionName: session.metadata.name,
        sessionUid: session.metadata.uid,
        runNumber,
        exp: nowSeconds + (timeoutSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS) + TOKEN_LIFETIME_MARGIN_SECONDS,
      },
      settings.runnerTokenSecret,
    );
    const env: Record<string, string> = {
      [RUNNER_ENV.serverUrl]: settings.serverUrl(),
      [RUNNER_ENV.project]: session.metadata.namespace ?? '',
      [RUNNER_ENV.sessionName]: session.metadata.name,
      [RUNNER_ENV.sessionSpec]: JSON.stringify(session.spec),
    };
    if (session.status?.sdkSessionId) env[RUNNER_ENV.resumeSdkSessionId] = session.status.sdkSessionId;
    if (settings.anthropicBaseUrl) env['ANTHROPIC_BASE_URL'] = settings.anthropicBaseUrl;
    if (settings.claudeMaxRetries) env['CLAUDE_CODE_MAX_RETRIES'] = settings.claudeMaxRetries;
    const secretEnv: Record<string, string> = { [RUNNER_ENV.token]: token };
    if (settings.anthropicApiKey) secretEnv['ANTHROPIC_API_KEY'] = settings.anthropicApiKey;
    return { env, secretEnv, activeDeadlineSeconds: timeoutSeconds };
  };
}
