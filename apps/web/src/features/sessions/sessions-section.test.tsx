// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgenticSession, SessionPhase } from '@ambient/contracts';
import { fakeFetch, json } from '../../test-support/render';
import { renderWithProviders } from '../../test-support/render';
import { SessionsSection } from './sessions-section';

const push = vi.fn();
vi.mock('next/navigation', () => ({ useRouter: () => ({ push, replace: vi.fn(), prefetch: vi.fn() }) }));

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

function session(name: string, fields: { phase?: SessionPhase; cost?: number; displayName?: string } = {}): AgenticSession {
  return {
    apiVersion: 'vteam.ambient-code/v1alpha1',
    kind: 'AgenticSession',
    metadata: { name, creationTimestamp: '2026-11-24T10:00:00Z' },
    spec: { interactive: true, displayName: fields.displayName, llmSettings: { model: 'claude-test' } },
    status: { phase: fields.phase ?? 'Running', ...(fields.cost !== undefined ? { result: { subtype: 'success', isError: false, totalCostUsd: fields.cost } } : {}) },
  };
}

describe('SessionsSection', () => {
  it('lists sessions with their phase, model and cost, each linking to its chat', async () => {
    const { fetch } = fakeFetch([
      (request) =>
        request.path === '/api/projects/team-a/agentic-sessions'
          ? json({ items: [session('session-1', { displayName: 'Fix the build', cost: 0.1234 }), session('session-2', { phase: 'Completed' })], totalCount: 2 })
          : undefined,
    ]);
    renderWithProviders(<SessionsSection project="team-a" />, { fetch });
    expect(screen.getByLabelText('Loading sessions')).toBeTruthy();
    const link = await screen.findByRole('link', { name: 'Fix the build' });
    // next/link drops the trailing slash outside a build configured with `trailingSlash`.
    expect(link.getAttribute('href')).toMatch(/^\/session\/?\?project=team-a&name=session-1$/);
    const row = link.closest('tr')!;
    expect(within(row).getByText('Running')).toBeTruthy();
    expect(within(row).getByText('claude-test')).toBeTruthy();
    expect(within(row).getByText('$0.12')).toBeTruthy();
    // A finished session has nothing to stop; a running one does.
    expect(within(row).getByRole('button', { name: 'Stop Fix the build' })).toBeTruthy();
    const finished = screen.getByRole('link', { name: 'session-2' }).closest('tr')!;
    expect(within(finished).queryByRole('button', { name: /^Stop/ })).toBeNull();
  });

  it('shows the empty state, and an error with a way to try again', async () => {
    let fail = true;
    const { fetch } = fakeFetch([
      () => (fail ? json({ error: 'internal', message: 'database is locked' }, 500) : json({ items: [], totalCount: 0 })),
    ]);
    renderWithProviders(<SessionsSection project="team-a" />, { fetch });
    expect(await screen.findByText('database is locked')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No sessions yet')).toBeTruthy();
  });

  it('stops a session through the API and asks before deleting one', async () => {
    const { fetch, requests } = fakeFetch([
      (request) => (request.method === 'GET' ? json({ items: [session('session-1')], totalCount: 1 }) : undefined),
      (request) => (request.path.endsWith('/stop') ? json({ message: 'stopping', phase: 'Stopping' }, 202) : undefined),
      (request) => (request.method === 'DELETE' ? new Response(null, { status: 204 }) : undefined),
    ]);
    renderWithProviders(<SessionsSection project="team-a" />, { fetch });
    fireEvent.click(await screen.findByRole('button', { name: 'Stop session-1' }));
    await waitFor(() => expect(requests.some((request) => request.method === 'POST' && request.path === '/api/projects/team-a/agentic-sessions/session-1/stop')).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: 'Delete session-1' }));
    const dialog = await screen.findByRole('dialog');
    expect(requests.some((request) => request.method === 'DELETE')).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(requests.some((request) => request.method === 'DELETE')).toBe(true));
  });
});
