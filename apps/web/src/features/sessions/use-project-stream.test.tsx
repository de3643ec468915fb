// @vitest-environment jsdom
/**
 * The sessions table on the real client and the project event stream: changes arrive as frames and
 * update, add and remove rows without polling; a reconnection refetches the list once.
 */
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgenticSession } from '@ambient/contracts';
import { fakeFetch, json, renderWithProviders } from '../../test-support/render';
import { SessionsSection } from './sessions-section';

vi.mock('next/navigation', () => ({ useRouter: () => ({ push: vi.fn(), replace: vi.fn(), prefetch: vi.fn() }) }));

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

const session = (name: string, resourceVersion: number): AgenticSession => ({
  apiVersion: 'vteam.ambient-code/v1alpha1',
  kind: 'AgenticSession',
  metadata: { name, uid: `uid-${name}`, resourceVersion: String(resourceVersion), creationTimestamp: `2026-11-24T10:00:0${name.at(-1)}Z` },
  spec: { interactive: true, llmSettings: { model: 'claude-test' } },
  status: { phase: 'Running' },
});
const entry = (name: string, phase: string) => ({ name, uid: `uid-${name}`, phase, interactive: true, createdAt: `2026-11-24T10:00:0${name.at(-1)}Z` });
const frame = (version: number, data: unknown): string => `id: ${version}\ndata: ${JSON.stringify(data)}\n\n`;

/** An open SSE response the test writes frames into, and can break. */
function openStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (started) => void (controller = started) });
  return {
    response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    send: (text: string) => controller.enqueue(new TextEncoder().encode(text)),
    fail: () => controller.error(new TypeError('network error')),
  };
}

describe('useProjectStream', () => {
  it('follows the stream into the table, and refetches the list after a reconnection', async () => {
    const streams: ReturnType<typeof openStream>[] = [];
    let listed = [session('session-1', 5), session('session-2', 6)];
    const { fetch, requests } = fakeFetch([
      (request) => {
        if (request.path === '/api/projects/team-a/agentic-sessions') return json({ items: listed, totalCount: listed.length });
        if (request.path !== '/api/projects/team-a/events') return undefined;
        streams.push(openStream());
        return streams.at(-1)!.response;
      },
    ]);
    renderWithProviders(<SessionsSection project="team-a" />, { fetch });
    await screen.findByRole('link', { name: 'session-2' });
    await waitFor(() => expect(streams).toHaveLength(1));
    const listFetches = () => requests.filter((request) => request.path.endsWith('/agentic-sessions')).length;
    const names = () => screen.getAllByRole('link').map((link) => link.textContent);
    expect(listFetches()).toBe(1);

    streams[0]!.send(frame(10, { type: 'reset', resourceVersion: '10', sessions: [entry('session-1', 'Running'), entry('session-2', 'Running')] }));
    streams[0]!.send(frame(11, { type: 'session', action: 'MODIFIED', session: entry('session-1', 'Completed') }));
    streams[0]!.send(frame(12, { type: 'session', action: 'DELETED', session: entry('session-2', 'Running') }));
    await waitFor(() => expect(screen.queryByRole('link', { name: 'session-2' })).toBeNull());
    const row = screen.getByRole('link', { name: 'session-1' }).closest('tr')!;
    expect(row.textContent).toContain('Completed');
    expect(row.textContent).toContain('claude-test');

    // A session created elsewhere appears at once (newest first), from its stream entry…
    streams[0]!.send(frame(13, { type: 'session', action: 'ADDED', session: entry('session-3', 'Pending') }));
    await screen.findByRole('link', { name: 'session-3' });
    expect(names()).toEqual(['session-3', 'session-1']);
    // …and the list is fetched once more for what an entry lacks (the model). That answer was served
    // before any of these changes (still the old list): it does not undo them.
    await waitFor(() => expect(listFetches()).toBe(2));
    await waitFor(() => expect(names()).toEqual(['session-3', 'session-1']));
    expect(screen.getByRole('link', { name: 'session-1' }).closest('tr')!.textContent).toContain('Completed');

    // The connection breaks: the client resumes after the last id, and the list is refetched once.
    listed = [{ ...session('session-3', 13), status: { phase: 'Running' } }, { ...session('session-1', 11), status: { phase: 'Completed' } }];
    streams[0]!.fail();
    await waitFor(() => expect(streams).toHaveLength(2));
    expect(requests.filter((request) => request.path.endsWith('/events')).map((request) => request.headers.get('last-event-id'))).toEqual([null, '13']);
    await waitFor(() => expect(listFetches()).toBe(3));
    await waitFor(() => expect(screen.getByRole('link', { name: 'session-3' }).closest('tr')!.textContent).toContain('claude-test'));
    expect(names()).toEqual(['session-3', 'session-1']);
  });
});
