/**
 * Readies the workspace before the first query: directories, the git credential helper, then the
 * session's repositories (reported in a CUSTOM `ambient.repos` event). Returns the prerequisite
 * problems; any problem fails the session before Claude Code starts.
 */
import type { AgUiEvent } from '@ambient/contracts';
import { prepareWorkspace, repositoryGitEnvironment } from './claude-options.ts';
import type { RunnerConfig } from './config.ts';
import type { Logger } from './log.ts';
import { describeError } from './redact.ts';
import { cloneProblems, cloneRepositories, reposEvent } from './repositories.ts';
import type { WorkspaceLayout } from './workspace-layout.ts';

export interface WorkspaceSetupOptions {
  config: RunnerConfig;
  layout: WorkspaceLayout;
  /** The runner's PATH (git must be found); nothing else of the runner's env reaches git. */
  path: string | undefined;
  secrets: readonly (string | undefined)[];
  emit: (event: AgUiEvent) => void;
  log: Logger;
}

export async function setUpWorkspace(options: WorkspaceSetupOptions): Promise<string[]> {
  const { config, layout } = options;
  try {
    prepareWorkspace(layout);
  } catch (error) {
    return [`cannot prepare the workspace: ${describeError(error)}`];
  }
  if (layout.repos.length === 0) return [];
  const reports = await cloneRepositories({
    layout,
    gitEnvironment: {
      PATH: options.path ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: layout.homeDir,
      LC_ALL: 'C', // git's messages in English: they are shown to users as the reason
      ...repositoryGitEnvironment(config, layout),
    },
    secrets: options.secrets.filter((secret): secret is string => Boolean(secret)),
    log: options.log,
  });
  options.emit(reposEvent(reports));
  return cloneProblems(reports);
}
