// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgenticSession } from '@ambient/contracts';
import { fakeFetch, json, renderWithProviders } from '../../test-support/render';
import { SessionActionsMenu } from './session-actions-menu';

const push = vi.fn();
vi.mock('next/navigation', () => ({ useRouter: () => ({ push, replace: vi.fn(), prefetch: vi.fn() }) }));

const SESSION = '/api/projects/team-a/agentic-sessions/session-1';
const session: AgenticSession = {
  apiVersion: 'vteam.ambient-code/v1alpha1',
  kind: 'AgenticSession',
  metadata: { name: 'session-1' },
  spec: { interactive: true, displayName: 'Fix the build' },
  status: { phase: 'Completed' },
};
const projects = { items: [{ name: 'team-a', displayName: 'Team A' }, { name: 'team-b' }] };

let downloads: { name: string; blob: Blob }[] = [];
beforeEach(() => {
  downloads = [];
  const blobs = new Map<string, Blob>();
  vi.stubGlobal(
    'URL',
    Object.assign(URL, {
      createObjectURL: (blob: Blob) => {
        const url = `blob:test/${blobs.size}`;
        blobs.set(url, blob);
        return url;
      },
      revokeObjectURL: vi.fn(),
    }),
  );
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ name: this.download, blob: blobs.get(this.href)! });
  });
});

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  push.mockReset();
  vi.restoreAllMocks();
});

describe('SessionActionsMenu', () => {
  it('clones into the chosen project with a display name and opens the copy', async () => {
    const { fetch, requests } = fakeFetch([
      (request) => (request.path === '/api/projects' ? json(projects) : undefined),
      (request) => (request.path === `${SESSION}/clone` ? json({ name: 'session-2', uid: 'uid-2', project: 'team-b' }, 201) : undefined),
    ]);
    renderWithProviders(<SessionActionsMenu project="team-a" session={session} />, { fetch });
    fireEvent.click(screen.getByRole('button', { name: 'Clone' }));
    const dialog = await screen.findByRole('dialog', { name: 'Clone Fix the build' });
    expect(within(dialog).getByLabelText('Display name (optional)').getAttribute('placeholder')).toBe('Fix the build (copy)');
    await within(dialog).findByRole('option', { name: 'team-b' });
    fireEvent.change(within(dialog).getByLabelText('Project'), { target: { value: 'team-b' } });
    fireEvent.change(within(dialog).getByLabelText('Display name (optional)'), { target: { value: '  Second try ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Clone session' }));
    await waitFor(() => expect(push).toHaveBeenCalledWith('/session/?project=team-b&name=session-2'));
    const clone = requests.find((request) => request.path === `${SESSION}/clone`);
    expect(clone?.body).toEqual({ targetProject: 'team-b', displayName: 'Second try' });
  });

  it('shows why a clone failed and stays on the page', async () => {
    const { fetch } = fakeFetch([
      (request) => (request.path === '/api/projects' ? json(projects) : undefined),
      (request) => (request.method === 'POST' ? json({ error: 'forbidden', message: 'you need the edit role in team-a' }, 403) : undefined),
    ]);
    renderWithProviders(<SessionActionsMenu project="team-a" session={session} />, { fetch });
    fireEvent.click(screen.getByRole('button', { name: 'Clone' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Clone session' }));
    expect((await screen.findByRole('alert')).textContent).toBe('you need the edit role in team-a');
    expect(push).not.toHaveBeenCalled();
  });

  it('exports the transcript as Markdown and as JSON', async () => {
    const { fetch, requests } = fakeFetch([
      (request) =>
        request.path === `${SESSION}/export?format=markdown`
          ? new Response('# Fix the build\n', { headers: { 'content-type': 'text/markdown', 'content-disposition': 'attachment; filename="session-1.md"' } })
          : undefined,
      (request) => (request.path === `${SESSION}/export?format=json` ? json({ session: {}, events: [] }) : undefined),
    ]);
    renderWithProviders(<SessionActionsMenu project="team-a" session={session} />, { fetch });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export Fix the build' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Download Markdown' }));
    await within(dialog).findByText('Saved session-1.md.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Download JSON' }));
    await within(dialog).findByText('Saved session-1.json.');
    expect(downloads.map((download) => download.name)).toEqual(['session-1.md', 'session-1.json']);
    expect(await downloads[0]!.blob.text()).toBe('# Fix the build\n');
    expect(requests.map((request) => request.path)).toEqual([`${SESSION}/export?format=markdown`, `${SESSION}/export?format=json`]);
  });

  it('deletes only after confirming, then goes back to the project', async () => {
    const { fetch, requests } = fakeFetch([(request) => (request.method === 'DELETE' ? new Response(null, { status: 204 }) : undefined)]);
    renderWithProviders(<SessionActionsMenu project="team-a" session={session} />, { fetch });
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete session Fix the build?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(requests).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(push).toHaveBeenCalledWith('/project/?name=team-a&section=sessions'));
    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([`DELETE ${SESSION}`]);
  });
});
