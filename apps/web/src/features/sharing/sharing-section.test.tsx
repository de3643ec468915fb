// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Permission, ProjectRole } from '@ambient/contracts';
import { fakeFetch, json, renderWithProviders } from '../../test-support/render';
import type { Route } from '../../test-support/render';
import { SharingSection } from './sharing-section';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

function routes(role: ProjectRole): Route[] {
  const grants: Permission[] = [{ subjectType: 'user', subjectName: 'alice', role: 'admin' }];
  return [
    (request) => (request.path === '/api/projects/team-a/access' ? json({ project: 'team-a', userRole: role }) : undefined),
    (request) => {
      if (request.path === '/api/projects/team-a/permissions') {
        if (request.method === 'GET') return json({ items: grants });
        grants.push(request.body as Permission);
        return json(request.body, 201);
      }
      if (request.method === 'DELETE' && request.path === '/api/projects/team-a/permissions/user/alice') {
        grants.splice(0, 1);
        return new Response(null, { status: 204 });
      }
      return undefined;
    },
  ];
}

describe('SharingSection', () => {
  it('lets an admin grant a group a role and revoke a user after confirming', async () => {
    const { fetch, requests } = fakeFetch(routes('admin'));
    renderWithProviders(<SharingSection project="team-a" />, { fetch });
    expect(await screen.findByText('alice')).toBeTruthy();

    fireEvent.click(await screen.findByRole('button', { name: 'Add access' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Subject type'), { target: { value: 'group' } });
    fireEvent.change(within(dialog).getByLabelText('Group name'), { target: { value: 'readers' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Grant access' }));
    const row = (await screen.findByText('readers')).closest('tr')!;
    expect(within(row).getByText('Group')).toBeTruthy();
    expect(within(row).getByText('view')).toBeTruthy();
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({ subjectType: 'group', subjectName: 'readers', role: 'view' });

    fireEvent.click(screen.getByRole('button', { name: 'Revoke user alice' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    await screen.findByText('readers');
    await waitFor(() => expect(screen.queryByText('alice')).toBeNull());
  });

  it('shows the grants without controls to a viewer', async () => {
    const { fetch } = fakeFetch(routes('view'));
    renderWithProviders(<SharingSection project="team-a" />, { fetch });
    expect(await screen.findByText('alice')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Add access' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Revoke/ })).toBeNull();
  });
});

