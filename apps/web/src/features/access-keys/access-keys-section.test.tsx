// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccessKeyView, ProjectRole } from '@ambient/contracts';
import { fakeFetch, json, renderWithProviders } from '../../test-support/render';
import type { Route } from '../../test-support/render';
import { AccessKeysSection } from './access-keys-section';

const SECRET = 'ak_live_0123456789abcdef';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  vi.unstubAllGlobals();
});

function accessRoute(role: ProjectRole): Route {
  return (request) => (request.path === '/api/projects/team-a/access' ? json({ project: 'team-a', userRole: role }) : undefined);
}

/** A fake keys API: the list holds records only; the POST answer is the one place with the secret. */
function keysRoutes(): Route[] {
  const keys: AccessKeyView[] = [];
  return [
    (request) => {
      if (request.path !== '/api/projects/team-a/keys') return undefined;
      if (request.method === 'GET') return json({ items: keys });
      const body = request.body as { name: string; role: ProjectRole };
      const created: AccessKeyView = { id: 'key-1', name: body.name, role: body.role, createdAt: '2026-11-24T10:00:00Z', expiresAt: '2027-02-22T10:00:00Z' };
      keys.push(created);
      return json({ ...created, key: SECRET }, 201);
    },
  ];
}

describe('AccessKeysSection', () => {
  it('shows a new key exactly once, with a copy button and a warning', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const { fetch, requests } = fakeFetch([accessRoute('admin'), ...keysRoutes()]);
    renderWithProviders(<AccessKeysSection project="team-a" />, { fetch });
    expect(await screen.findByText('No access keys yet')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'New access key' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'ci-pipeline' } });
    fireEvent.change(within(dialog).getByLabelText('Role'), { target: { value: 'view' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create key' }));

    const shown = await within(dialog).findByLabelText('Access key');
    expect((shown as HTMLInputElement).value).toBe(SECRET);
    expect(within(dialog).getByText(/only time the key/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy the access key' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(SECRET));
    const post = requests.find((request) => request.method === 'POST');
    expect(post?.body).toEqual({ name: 'ci-pipeline', role: 'view', expiresInSeconds: 90 * 24 * 3600 });

    // Closing drops the key: the list shows the record, and the secret is nowhere in the page.
    fireEvent.click(within(dialog).getByRole('button', { name: 'I have copied the key' }));
    const row = (await screen.findByText('ci-pipeline')).closest('tr')!;
    expect(within(row).getByText('view')).toBeTruthy();
    expect(within(row).getByText('Never')).toBeTruthy();
    expect(document.body.innerHTML).not.toContain(SECRET);

    // Opening the dialog again starts a fresh form, not the old key.
    fireEvent.click(screen.getByRole('button', { name: 'New access key' }));
    const again = await screen.findByRole('dialog');
    expect(within(again).getByRole('button', { name: 'Create key' })).toBeTruthy();
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it('checks the key name before sending it', async () => {
    const { fetch, requests } = fakeFetch([accessRoute('admin'), ...keysRoutes()]);
    renderWithProviders(<AccessKeysSection project="team-a" />, { fetch });
    fireEvent.click(await screen.findByRole('button', { name: 'New access key' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Not Valid' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create key' }));
    expect(await within(dialog).findByText(/lowercase letters/)).toBeTruthy();
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('tells non-admins to ask an admin and never asks for the list', async () => {
    const { fetch, requests } = fakeFetch([accessRoute('edit'), ...keysRoutes()]);
    renderWithProviders(<AccessKeysSection project="team-a" />, { fetch });
    expect(await screen.findByText('Only admins manage access keys')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New access key' })).toBeNull();
    expect(requests.map((request) => request.path)).toEqual(['/api/projects/team-a/access']);
  });
});
