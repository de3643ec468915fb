// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgenticSession, AgenticSessionSpec, AgenticSessionStatus } from '@ambient/contracts';
import { repoRows, ReposPanel, safeHttpUrl } from './repos-panel';

afterEach(cleanup);

function session(spec: Partial<AgenticSessionSpec>, status?: AgenticSessionStatus): AgenticSession {
  return {
    apiVersion: 'vteam.ambient-code/v1alpha1',
    kind: 'AgenticSession',
    metadata: { name: 'session-1' },
    spec: { interactive: true, ...spec },
    ...(status ? { status } : {}),
  };
}

describe('ReposPanel', () => {
  it('shows each repository with its branch, push setting and the runner-reported status and pull request', () => {
    const value = session(
      {
        repos: [
          { url: 'https://github.com/acme/api.git', branch: 'feature/x', autoPush: true },
          { url: 'https://github.com/acme/web.git', autoPush: false },
        ],
      },
      {
        phase: 'Completed',
        repos: [
          { name: 'api', url: 'https://github.com/acme/api.git', branch: 'feature/x', status: 'Pushed', pullRequestUrl: 'https://github.com/acme/api/pull/7', added: 12, removed: 3 },
          { name: 'web', url: 'https://github.com/acme/web.git', branch: 'ambient/session-1', status: 'NoChanges' },
        ],
      },
    );
    render(<ReposPanel session={value} />);
    const [api, web] = within(screen.getByRole('list', { name: 'Repositories' })).getAllByRole('listitem');
    expect(within(api!).getByText('Pushed')).toBeTruthy();
    expect(within(api!).getByText('feature/x')).toBeTruthy();
    expect(within(api!).getByText('Yes')).toBeTruthy();
    expect(within(api!).getByText('+12')).toBeTruthy();
    const pullRequest = within(api!).getByRole('link', { name: /github\.com\/acme\/api\/pull\/7/ });
    expect(pullRequest.getAttribute('href')).toBe('https://github.com/acme/api/pull/7');
    expect(pullRequest.getAttribute('rel')).toBe('noopener noreferrer');
    expect(within(web!).getByText('No changes')).toBeTruthy();
    expect(within(web!).getByText('ambient/session-1')).toBeTruthy();
    expect(within(web!).getByText('No')).toBeTruthy();
  });

  it('shows the default branch before the runner reports, and says the repository is not cloned yet', () => {
    render(<ReposPanel session={session({ repos: [{ url: 'git@github.com:acme/api.git', autoPush: false }] }, { phase: 'Pending' })} />);
    expect(screen.getByText('ambient/session-1')).toBeTruthy();
    expect(screen.getByText('(default)')).toBeTruthy();
    expect(screen.getByText('Not cloned yet')).toBeTruthy();
    // Not a web URL: shown as text, not as a link.
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('says so when the session has no repositories', () => {
    render(<ReposPanel session={session({})} />);
    expect(screen.getByText('No repositories')).toBeTruthy();
  });

  it('pairs by URL when the counts differ, and links only http(s) URLs', () => {
    const rows = repoRows(
      session(
        { repos: [{ url: 'https://a.example/one.git', autoPush: false }, { url: 'https://a.example/two.git', autoPush: false }] },
        { phase: 'Running', repos: [{ name: 'two', url: 'https://a.example/two.git', status: 'Ready' }] },
      ),
    );
    expect(rows.map((row) => row.status?.name)).toEqual([undefined, 'two']);
    expect(safeHttpUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeHttpUrl('https://github.com/acme/api/pull/7')).toBe('https://github.com/acme/api/pull/7');
  });
});
