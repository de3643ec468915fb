// @vitest-environment jsdom
/**
 * The chat's resume rule with the real client: a remount continues after the seq kept in the query
 * cache (Last-Event-ID), and repeated events never show twice.
 */
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthProvider } from '../auth/auth-context';
import { createQueryClient } from '../../lib/query-client';
import { fakeFetch, TEST_BASE_URL } from '../../test-support/render';
import type { RecordedRequest } from '../../test-support/render';
import { sessionKeys } from '../sessions/session-keys';
import type { ChatState } from './chat-types';
import { useSessionChat } from './use-session-chat';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

const frame = (seq: number, fields: Record<string, unknown>): string =>
  `id: ${seq}\ndata: ${JSON.stringify({ ...fields, seq, timestamp: 1 })}\n\n`;

/** An SSE answer with these frames that then stays open (like the live server) until aborted. */
function sseResponse(request: RecordedRequest, frames: string[], signal: AbortSignal | undefined): Response {
  void request;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const text of frames) controller.enqueue(new TextEncoder().encode(text));
      signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

function Chat() {
  const { chat } = useSessionChat('team-a', 'session-1');
  return (
    <ol>
      {chat.messages.map((message) => (
        <li key={message.id}>{'content' in message ? message.content : ''}</li>
      ))}
    </ol>
  );
}

describe('useSessionChat', () => {
  it('resumes after the cached seq on remount and shows every message once', async () => {
    const allFrames = [
      frame(1, { type: 'TEXT_MESSAGE_START', messageId: 'u1', role: 'user' }),
      frame(2, { type: 'TEXT_MESSAGE_CONTENT', messageId: 'u1', delta: 'hello' }),
      frame(3, { type: 'TEXT_MESSAGE_END', messageId: 'u1' }),
      frame(4, { type: 'TEXT_MESSAGE_START', messageId: 'a1', role: 'assistant' }),
      frame(5, { type: 'TEXT_MESSAGE_CONTENT', messageId: 'a1', delta: 'hi there' }),
      frame(6, { type: 'TEXT_MESSAGE_END', messageId: 'a1' }),
    ];
    let signals: (AbortSignal | undefined)[] = [];
    const cursors: (string | null)[] = [];
    const { fetch: recording } = fakeFetch([
      (request) => {
        if (!request.path.endsWith('/agui/events')) return undefined;
        const cursor = request.headers.get('last-event-id');
        cursors.push(cursor);
        // A server that (wrongly) repeats one event before the rest: the client and reducer drop it.
        const after = Number(cursor ?? 0);
        const frames = after === 0 ? allFrames.slice(0, 3) : [allFrames[after - 1]!, ...allFrames.slice(after)];
        return sseResponse(request, frames, signals.at(-1));
      },
    ]);
    const fetchWithSignal: typeof fetch = (input, init) => {
      signals = [...signals, init?.signal ?? undefined];
      return recording(input, init);
    };
    window.localStorage.setItem('ambient.token', 'test-token');
    const queryClient = createQueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <AuthProvider baseUrl={TEST_BASE_URL} fetch={fetchWithSignal}>
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </AuthProvider>
    );

    const first = render(<Chat />, { wrapper });
    expect(await screen.findByText('hello')).toBeTruthy();
    await waitFor(() => expect(queryClient.getQueryData<ChatState>(sessionKeys.chat('team-a', 'session-1'))?.lastSeq).toBe(3));
    first.unmount();

    render(<Chat />, { wrapper });
    expect(await screen.findByText('hi there')).toBeTruthy();
    expect(cursors).toEqual([null, '3']);
    expect(screen.getAllByText('hello')).toHaveLength(1);
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    expect(queryClient.getQueryData<ChatState>(sessionKeys.chat('team-a', 'session-1'))?.lastSeq).toBe(6);
  });
});
