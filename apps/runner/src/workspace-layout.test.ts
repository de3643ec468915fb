import { describe, expect, it } from 'vitest';
import type { AgenticSessionSpec } from '@ambient/contracts';
import type { RunnerConfig } from './config.ts';
import { loadGitAccess } from './git-credentials.ts';
import { systemPromptAppend } from './system-prompt.ts';
import { uniqueNames, workspaceLayout } from './workspace-layout.ts';

function config(spec: Partial<AgenticSessionSpec>): RunnerConfig {
  return {
    serverUrl: 'http://127.0.0.1:1',
    token: 't',
    project: 'team-a',
    sessionName: 'session-9',
    workspaceDir: '/ws',
    spec: { interactive: true, ...spec },
    model: { passThrough: {} },
    git: loadGitAccess({}),
  };
}

describe('workspaceLayout', () => {
  it('strips URL credentials, de-duplicates names and picks the working branch', () => {
    const layout = workspaceLayout(
      config({
        repos: [
          { url: 'https://u:tok-123456789@git.example.org/a/app.git', autoPush: true },
          { url: 'https://git.example.org/b/app', branch: 'feature', autoPush: false },
        ],
      }),
    );
    expect(layout.repos).toEqual([
      {
        name: 'app',
        path: '/ws/repos/app',
        url: 'https://git.example.org/a/app.git',
        branch: 'ambient/session-9',
        autoPush: true,
      },
      {
        name: 'app-2',
        path: '/ws/repos/app-2',
        url: 'https://git.example.org/b/app',
        branch: 'feature',
        autoPush: false,
      },
    ]);
    expect(layout.cwd).toBe('/ws/repos/app');

    const prompt = systemPromptAppend(config({}), layout);
    expect(prompt).not.toContain('tok-123456789');
    expect(prompt).toContain(
      '/ws/repos/app: https://git.example.org/a/app.git, working branch ambient/session-9',
    );
    expect(prompt).toContain('git push origin HEAD');
    expect(prompt).toContain('Do not push app-2');
  });

  it('uniqueNames keeps the first and numbers the repeats', () => {
    expect(uniqueNames(['a', 'b', 'a', 'a', 'a-2'])).toEqual(['a', 'b', 'a-2', 'a-3', 'a-2-2']);
  });
});
