/**
 * What a runner gets for one run (the RUNNER_ENV contract): the server URL, a credential scoped to
 * this session run, the spec, the conversation to resume, and the model settings. Project settings
 * and project secrets override the platform defaults; secrets go in `secretEnv` so the cluster
 * runtime puts them in a Secret rather than the Job spec.
 */
import {
  PROJECT_SETTINGS_NAME,
  ProjectSettingsKind,
  RUNNER_ENV,
} from '@ambient/contracts';
import type { AgenticSession, ProjectSettingsSpec } from '@ambient/contracts';
import { mintRunnerToken, SECRET_NAMES } from '@ambient/core';
import type { Clock, ResourceStore, SecretStore, Stored } from '@ambient/core';
import type { RunnerLaunch } from './manager.ts';

/** Interactive sessions without a timeout still get a bounded credential. */
const DEFAULT_TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600;
const TOKEN_LIFETIME_MARGIN_SECONDS = 3600;

export interface LaunchSettings {
  /** Read at launch time: the embedded server learns its port only once it listens. */
  serverUrl: () => string;
  runnerTokenSecret: string;
  /** Platform-wide model credentials and endpoint (a project's own settings win). */
  anthropicApiKey?: string;
  anthropicBaseUrl?: string;
  /** Extra non-secret env for every runner (e.g. CLAUDE_CODE_MAX_RETRIES). */
  runnerEnv?: Record<string, string>;
  store: ResourceStore;
  secrets: SecretStore;
  clock: Clock;
}

export async function projectSettingsOf(store: ResourceStore, project: string): Promise<ProjectSettingsSpec | undefined> {
  return (await store.get(ProjectSettingsKind, project, PROJECT_SETTINGS_NAME))?.spec;
}

export function createRunnerLauncher(settings: LaunchSettings) {
  return async function launchRunner(
    session: Stored<AgenticSession>,
    runNumber: number,
    options: { forkFromSdkSessionId?: string } = {},
  ): Promise<RunnerLaunch> {
    const project = session.metadata.namespace ?? '';
    const projectSettings = await projectSettingsOf(settings.store, project);
    const timeoutSeconds = session.spec.timeout ?? projectSettings?.defaultTimeoutSeconds;
    const nowSeconds = Math.floor(settings.clock.now().getTime() / 1000);
    const token = mintRunnerToken(
      {
        project,
        sessionName: session.metadata.name,
        sessionUid: session.metadata.uid,
        runNumber,
        exp: nowSeconds + (timeoutSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS) + TOKEN_LIFETIME_MARGIN_SECONDS,
      },
      settings.runnerTokenSecret,
    );
    const spec = withProjectDefaults(session.spec, projectSettings);
    const env: Record<string, string> = {
      ...settings.runnerEnv,
      [RUNNER_ENV.serverUrl]: settings.serverUrl(),
      [RUNNER_ENV.project]: project,
      [RUNNER_ENV.sessionName]: session.metadata.name,
      [RUNNER_ENV.sessionSpec]: JSON.stringify(spec),
    };
    if (session.status?.sdkSessionId) env[RUNNER_ENV.resumeSdkSessionId] = session.status.sdkSessionId;
    else if (options.forkFromSdkSessionId) env[RUNNER_ENV.forkFromSdkSessionId] = options.forkFromSdkSessionId;
    const baseUrl = projectSettings?.modelBaseUrl ?? settings.anthropicBaseUrl;
    if (baseUrl) env['ANTHROPIC_BASE_URL'] = baseUrl;

    const secretEnv: Record<string, string> = {
      ...(await settings.secrets.read(project, SECRET_NAMES.integrations)),
      [RUNNER_ENV.token]: token,
    };
    const runnerSecrets = await settings.secrets.read(project, SECRET_NAMES.runner);
    if (settings.anthropicApiKey && !runnerSecrets['ANTHROPIC_API_KEY']) secretEnv['ANTHROPIC_API_KEY'] = settings.anthropicApiKey;
    Object.assign(secretEnv, runnerSecrets);
    return { env, secretEnv, activeDeadlineSeconds: timeoutSeconds };
  };
}

/** The project's default model applies when the session names none. */
function withProjectDefaults(spec: AgenticSession['spec'], projectSettings: ProjectSettingsSpec | undefined): AgenticSession['spec'] {
  if (!projectSettings?.defaultModel || spec.llmSettings?.model) return spec;
  return { ...spec, llmSettings: { ...spec.llmSettings, model: projectSettings.defaultModel } };
}
