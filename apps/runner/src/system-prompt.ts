/**
 * What the runner adds to Claude Code's system prompt: where the agent is, which repositories it
 * has and on which branch it works, and, for repos with `autoPush`, that it must commit and push
 * its work itself (as in the system we replace, the platform does not push behind its back).
 * Only credential-free URLs appear here: the prompt is part of the CLI's argv and of the transcript.
 */
import type { RunnerConfig } from './config.ts';
import type { WorkspaceLayout } from './workspace-layout.ts';

export function systemPromptAppend(config: RunnerConfig, layout: WorkspaceLayout): string {
  const lines = [
    `You are running in the Ambient Code Platform, session "${config.sessionName}" of project "${config.project}".`,
    `Your working directory is ${layout.cwd}.`,
    `Put files you produce that do not belong in a repository in ${layout.artifactsDir}.`,
  ];
  if (layout.repos.length > 0) {
    lines.push('Git repositories in this workspace (already cloned, credentials are configured):');
    for (const repo of layout.repos) {
      lines.push(`- ${repo.path}: ${repo.url}, working branch ${repo.branch}`);
    }
    lines.push(
      'Work on the working branch of each repository; do not switch to or rewrite other branches.',
    );
  }
  const pushed = layout.repos.filter((repo) => repo.autoPush);
  if (pushed.length > 0) {
    lines.push(
      `When you have finished your changes in ${pushed.map((repo) => repo.name).join(', ')}, ` +
        'commit them (git add -A && git commit -m "<what you did>") and push the working branch ' +
        '(git push origin HEAD). Pushing is part of the task: report if it fails.',
    );
  }
  const kept = layout.repos.filter((repo) => !repo.autoPush);
  if (kept.length > 0) {
    lines.push(`Do not push ${kept.map((repo) => repo.name).join(', ')} unless the user asks.`);
  }
  return lines.join('\n');
}
