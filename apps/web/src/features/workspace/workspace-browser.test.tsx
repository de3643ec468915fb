// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorkspaceEntry } from '@ambient/client';
import { fakeFetch, json, renderWithProviders } from '../../test-support/render';
import type { Route } from '../../test-support/render';
import { MAX_PREVIEW_BYTES } from './file-preview';
import { WORKSPACE_ROOT, WorkspaceBrowser } from './workspace-browser';
import type { WorkspaceLocation } from './workspace-browser';

const WORKSPACE = '/api/projects/team-a/agentic-sessions/session-1/workspace';
const MODIFIED = '2026-11-24T10:00:00Z';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  vi.restoreAllMocks();
});

const entry = (path: string, type: WorkspaceEntry['type'], size = 10): WorkspaceEntry => ({
  name: path.split('/').pop()!,
  path,
  type,
  size,
  modifiedAt: MODIFIED,
});

/** A fake workspace: folders answer with listings, files with their bytes (as the API server does). */
function workspaceRoutes(files: Record<string, Uint8Array<ArrayBuffer> | string>, folders: Record<string, WorkspaceEntry[]>): Route {
  return (request) => {
    if (!request.path.startsWith(WORKSPACE)) return undefined;
    const path = decodeURIComponent(request.path.slice(WORKSPACE.length).replace(/^\//, ''));
    const folder = folders[path];
    if (folder) return json({ path, items: folder });
    const file = files[path];
    if (file === undefined) return json({ error: 'not_found', message: `no such file in the workspace: ${path}` }, 404);
    return new Response(typeof file === 'string' ? new TextEncoder().encode(file) : file, { headers: { 'content-type': 'application/octet-stream' } });
  };
}

function Browser({ live = false }: { live?: boolean }) {
  const [location, setLocation] = useState<WorkspaceLocation>(WORKSPACE_ROOT);
  return <WorkspaceBrowser project="team-a" session="session-1" live={live} location={location} onLocationChange={setLocation} />;
}

describe('WorkspaceBrowser', () => {
  it('lists folders first with sizes, opens a folder through its breadcrumbs, and shows a file with line numbers', async () => {
    const { fetch, requests } = fakeFetch([
      workspaceRoutes(
        { 'artifacts/notes.md': '# Notes\nsecond line\n', 'README.txt': 'top' },
        {
          '': [entry('README.txt', 'file', 2048), entry('artifacts', 'directory', 4096)],
          artifacts: [entry('artifacts/notes.md', 'file', 20)],
        },
      ),
    ]);
    renderWithProviders(<Browser />, { fetch });
    const table = await screen.findByRole('table', { name: 'Files in this folder' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('data-entry-type'))).toEqual(['directory', 'file']);
    expect(within(rows[1]!).getByText('2.0 KB')).toBeTruthy();
    expect(screen.getByText('No file selected')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'artifacts, folder' }));
    const path = screen.getByRole('navigation', { name: 'Folder path' });
    await waitFor(() => expect(within(path).getByText('artifacts').getAttribute('aria-current')).toBe('location'));
    fireEvent.click(await screen.findByRole('button', { name: 'notes.md' }));
    const contents = await screen.findByRole('region', { name: 'Contents of notes.md' });
    expect(contents.textContent).toContain('# Notes\nsecond line');
    expect(screen.getByTestId('line-numbers').textContent).toBe('1\n2');
    expect(screen.getByText(/2 lines/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Line numbers' }));
    expect(screen.queryByTestId('line-numbers')).toBeNull();

    fireEvent.click(within(path).getByRole('button', { name: 'workspace' }));
    expect(await screen.findByRole('button', { name: 'README.txt' })).toBeTruthy();
    // Back at the top, the listing comes from the cache (the test client never considers it stale).
    expect(requests.map((request) => request.path)).toEqual([WORKSPACE, `${WORKSPACE}/artifacts`, `${WORKSPACE}/artifacts/notes.md`]);
  });

  it('offers binary and large files as downloads instead of showing them', async () => {
    const { fetch, requests } = fakeFetch([
      workspaceRoutes(
        { 'image.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00]), 'big.log': 'x' },
        { '': [entry('image.png', 'file', 5), entry('big.log', 'file', MAX_PREVIEW_BYTES + 1)] },
      ),
    ]);
    const createObjectURL = vi.fn(() => 'blob:test');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    renderWithProviders(<Browser />, { fetch });

    fireEvent.click(await screen.findByRole('button', { name: 'image.png' }));
    expect(await screen.findByText('This file is not text')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Download image.png' }));
    expect(clicked).toEqual(['image.png']);

    fireEvent.click(screen.getByRole('button', { name: 'big.log' }));
    expect(await screen.findByText('This file is too large to show here')).toBeTruthy();
    // Not fetched for the viewer: only the download asks for it.
    expect(requests.some((request) => request.path.endsWith('/big.log'))).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Download big.log' }));
    await waitFor(() => expect(clicked).toEqual(['image.png', 'big.log']));
    expect(requests.filter((request) => request.path.endsWith('/big.log'))).toHaveLength(1);
  });

  it('says clearly when workspace files are unavailable (503), asking once and offering no retry', async () => {
    const { fetch, requests } = fakeFetch([
      () => json({ error: 'unavailable', message: 'workspace files are not available in this mode yet' }, 503),
    ]);
    renderWithProviders(<Browser live />, { fetch });
    expect(await screen.findByText('Workspace files are not available')).toBeTruthy();
    expect(screen.getByText('workspace files are not available in this mode yet')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requests).toHaveLength(1);
  });

  it('shows an empty workspace, and a forbidden answer without a retry button', async () => {
    let status = 200;
    const { fetch } = fakeFetch([
      () => (status === 200 ? json({ path: '', items: [] }) : json({ error: 'forbidden', message: 'you need the view role' }, 403)),
    ]);
    renderWithProviders(<Browser />, { fetch });
    expect(await screen.findByText('The workspace is empty')).toBeTruthy();
    status = 403;
    fireEvent.click(screen.getByRole('button', { name: 'Refresh the file list' }));
    expect(await screen.findByText('you need the view role')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });
});
