// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeFetch, json, renderWithProviders } from '../../test-support/render';
import type { Route } from '../../test-support/render';
import { SecretsPanel } from './secrets-panel';

const VALUE = 'sk-ant-never-show-me-42';
const PATH = '/api/projects/team-a/runner-secrets';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

/** A fake secret store. Its GET answers even carry a stray `value`, which the UI must never show. */
function secretRoutes(): Route[] {
  const keys = new Map<string, string>([['AWS_REGION', 'eu-west-1-value']]);
  const view = () => ({
    name: 'ambient-runner-secrets',
    keys: [...keys].map(([key, value]) => ({ key, updatedAt: '2026-11-24T10:00:00Z', value })),
  });
  return [
    (request) => {
      if (request.path !== PATH) return undefined;
      if (request.method === 'PUT') {
        for (const [key, value] of Object.entries((request.body as { data: Record<string, string> }).data)) {
          if (value) keys.set(key, value);
          else keys.delete(key);
        }
      }
      return json(view());
    },
  ];
}

describe('SecretsPanel', () => {
  it('lists the keys that are set and never renders a value, before or after saving one', async () => {
    const { fetch, requests } = fakeFetch(secretRoutes());
    renderWithProviders(<SecretsPanel project="team-a" kind="runner" canEdit />, { fetch });
    expect(await screen.findByText('AWS_REGION')).toBeTruthy();
    expect(screen.getByText(/Values are write-only/)).toBeTruthy();
    expect(document.body.innerHTML).not.toContain('eu-west-1-value');

    const valueInput = screen.getByLabelText('Value') as HTMLInputElement;
    expect(valueInput.type).toBe('password');
    fireEvent.change(screen.getByLabelText('Key'), { target: { value: 'ANTHROPIC_API_KEY' } });
    fireEvent.change(valueInput, { target: { value: VALUE } });
    fireEvent.click(screen.getByRole('button', { name: 'Save key' }));

    expect(await screen.findByText('ANTHROPIC_API_KEY saved.')).toBeTruthy();
    expect(screen.getByRole('cell', { name: 'ANTHROPIC_API_KEY' })).toBeTruthy();
    expect(valueInput.value).toBe('');
    expect(document.body.innerHTML).not.toContain(VALUE);
    expect(requests.find((request) => request.method === 'PUT')?.body).toEqual({ data: { ANTHROPIC_API_KEY: VALUE } });
  });

  it('removes a key with an empty value after a confirmation', async () => {
    const { fetch, requests } = fakeFetch(secretRoutes());
    renderWithProviders(<SecretsPanel project="team-a" kind="runner" canEdit />, { fetch });
    fireEvent.click(await screen.findByRole('button', { name: 'Remove AWS_REGION' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText('No keys are set.')).toBeTruthy();
    expect(requests.find((request) => request.method === 'PUT')?.body).toEqual({ data: { AWS_REGION: '' } });
  });

  it('shows keys without controls to people who cannot change them', async () => {
    const { fetch } = fakeFetch(secretRoutes());
    renderWithProviders(<SecretsPanel project="team-a" kind="runner" canEdit={false} />, { fetch });
    expect(await screen.findByText('AWS_REGION')).toBeTruthy();
    expect(screen.queryByLabelText('Value')).toBeNull();
    expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull();
  });

  it('does not retry a 403 and shows it', async () => {
    const { fetch, requests } = fakeFetch([() => json({ error: 'forbidden', message: 'you need the view role' }, 403)]);
    renderWithProviders(<SecretsPanel project="team-a" kind="integrations" canEdit={false} />, { fetch });
    expect(await screen.findByText('you need the view role')).toBeTruthy();
    await waitFor(() => expect(requests).toHaveLength(1));
  });
});
