// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CUSTOM_EVENT, EventType } from '@ambient/contracts';
import type { SessionEvent } from '@ambient/contracts';
import { ChatLog } from './chat-log';
import { INITIAL_CHAT_STATE, reduceEvents } from './reduce-events';

/**
 * jsdom lays nothing out (every size is 0), and a windowed list renders no rows in a 0 px viewport.
 * This stands in for the browser's layout: the conversation is a 600 px viewport, each message row
 * is 60 px high, the scroll height follows the list's height, and scrollTo scrolls (clamped) and
 * fires `scroll`. The real layout is exercised by the Chromium end-to-end test.
 */
const VIEWPORT_PX = 600;
const ROW_PX = 60;
const isConversation = (element: Element): boolean => element.getAttribute('role') === 'region';

function simulateLayout(): () => void {
  const spies = [
    vi.spyOn(Element.prototype, 'clientHeight', 'get').mockImplementation(function (this: Element) {
      return isConversation(this) ? VIEWPORT_PX : 0;
    }),
    vi.spyOn(Element.prototype, 'clientWidth', 'get').mockImplementation(() => 800),
    vi.spyOn(Element.prototype, 'scrollHeight', 'get').mockImplementation(function (this: Element) {
      const list = this.firstElementChild as HTMLElement | null;
      return isConversation(this) ? Math.max(VIEWPORT_PX, Number.parseFloat(list?.style.height || '0')) : 0;
    }),
    vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (this: HTMLElement) {
      return this.hasAttribute('data-index') ? ROW_PX : 0;
    }),
  ];
  Element.prototype.scrollTo = function scrollTo(this: Element, options?: ScrollToOptions | number) {
    const top = typeof options === 'number' ? options : (options?.top ?? this.scrollTop);
    this.scrollTop = Math.max(0, Math.min(top, this.scrollHeight - this.clientHeight));
    this.dispatchEvent(new Event('scroll'));
  } as Element['scrollTo'];
  return () => {
    for (const spy of spies) spy.mockRestore();
    delete (Element.prototype as Partial<Element>).scrollTo;
  };
}

let restoreLayout: () => void;
beforeEach(() => {
  restoreLayout = simulateLayout();
});
afterEach(() => {
  cleanup();
  restoreLayout();
});

let seq = 0;
const event = (fields: Record<string, unknown> & { type: EventType }): SessionEvent => ({ ...fields, seq: ++seq }) as SessionEvent;

function chatOf(events: SessionEvent[]) {
  return reduceEvents(INITIAL_CHAT_STATE, events);
}

describe('ChatLog', () => {
  it('shows user and agent text, and a tool call collapsed to its name and target until opened', () => {
    const chat = chatOf([
      event({ type: EventType.RUN_STARTED, runId: 'r1' }),
      event({ type: EventType.TEXT_MESSAGE_START, messageId: 'u1', role: 'user' }),
      event({ type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'u1', delta: 'please write notes' }),
      event({ type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'a1', delta: 'On it.' }),
      event({ type: EventType.TOOL_CALL_START, toolCallId: 'c1', toolCallName: 'Write', parentMessageId: 'a1' }),
      event({ type: EventType.TOOL_CALL_ARGS, toolCallId: 'c1', delta: '{"file_path":"/w/notes.txt","content":"hi"}' }),
      event({ type: EventType.TOOL_CALL_END, toolCallId: 'c1' }),
      event({ type: EventType.TOOL_CALL_RESULT, messageId: 'c1-result', toolCallId: 'c1', content: 'File created successfully' }),
    ]);
    render(<ChatLog chat={chat} emptyText="nothing" />);
    expect(screen.getByText('please write notes')).toBeTruthy();
    expect(screen.getByText('On it.')).toBeTruthy();
    const toggle = screen.getByRole('button', { name: /Write/ });
    expect(toggle.textContent).toContain('/w/notes.txt');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    // The result is shown inside the card, not a second time as its own message.
    expect(screen.queryByText('File created successfully')).toBeNull();
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('File created successfully')).toBeTruthy();
    expect(screen.getByText(/"content": "hi"/)).toBeTruthy();
  });

  it('announces a failed run as an alert and labels sub-agent work', () => {
    const chat = chatOf([
      event({ type: EventType.TOOL_CALL_START, toolCallId: 'task', toolCallName: 'Task', parentMessageId: 'a0' }),
      event({ type: EventType.SUBAGENT_STARTED, subagentRunId: 'task', name: 'explorer', parentToolCallId: 'task' }),
      event({ type: EventType.TEXT_MESSAGE_CONTENT, messageId: 's1', delta: 'looking around', subagentRunId: 'task' }),
      event({ type: EventType.RUN_ERROR, message: 'the model API is overloaded', code: 'overloaded' }),
    ]);
    render(<ChatLog chat={chat} emptyText="nothing" />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('the model API is overloaded');
    expect(alert.textContent).toContain('overloaded');
    const subagentMessage = screen.getByText('looking around').closest('li')!;
    expect(within(subagentMessage).getByText(/Sub-agent explorer/)).toBeTruthy();
    expect(screen.getByRole('button', { name: /Task/ }).textContent).toContain('sub-agent explorer');
  });

  it('shows the empty text before anything arrived, and the model retry state is not a message', () => {
    const chat = chatOf([event({ type: EventType.CUSTOM, name: CUSTOM_EVENT.apiRetry, value: { attempt: 1 } })]);
    render(<ChatLog chat={chat} emptyText="Waiting for the agent…" />);
    expect(screen.getByText('Waiting for the agent…')).toBeTruthy();
  });
});

describe('ChatLog with thousands of messages', () => {
  const COUNT = 2_000;
  const snapshotOf = (count: number, seq: number): SessionEvent =>
    ({
      type: EventType.MESSAGES_SNAPSHOT,
      seq,
      messages: Array.from({ length: count }, (_, index) => ({ id: `m${index + 1}`, role: index % 2 ? 'assistant' : 'user', content: `message ${index + 1}` })),
    }) as SessionEvent;
  const positions = () => screen.getAllByRole('listitem').map((item) => Number(item.getAttribute('aria-posinset')));
  const conversation = () => screen.getByRole('region', { name: 'Conversation' });
  const bottomGap = () => conversation().scrollHeight - conversation().scrollTop - conversation().clientHeight;

  it('renders only the rows near the viewport, opening at the newest, with each row’s position', async () => {
    render(<ChatLog chat={reduceEvents(INITIAL_CHAT_STATE, [snapshotOf(COUNT, 1)])} emptyText="nothing" />);
    expect(screen.getByRole('list', { name: 'Messages' }).getAttribute('data-message-count')).toBe(String(COUNT));
    await vi.waitFor(() => expect(positions().at(-1)).toBe(COUNT));
    expect(positions().length).toBeLessThan(40);
    expect(positions()).toEqual(Array.from({ length: positions().length }, (_, index) => COUNT - positions().length + 1 + index));
    expect(screen.getAllByRole('listitem').at(-1)?.getAttribute('aria-setsize')).toBe(String(COUNT));
    expect(bottomGap()).toBe(0);

    act(() => conversation().scrollTo({ top: 0 }));
    await vi.waitFor(() => expect(positions()[0]).toBe(1));
    expect(screen.getByText('message 1')).toBeTruthy();
    expect(screen.queryByText(`message ${COUNT}`)).toBeNull();
    expect(screen.getByRole('button', { name: 'Jump to latest' })).toBeTruthy();
  });

  it('follows new messages at the bottom, and leaves a reader who scrolled up where they are', async () => {
    const view = render(<ChatLog chat={reduceEvents(INITIAL_CHAT_STATE, [snapshotOf(COUNT, 1)])} emptyText="nothing" />);
    await vi.waitFor(() => expect(positions().at(-1)).toBe(COUNT));
    view.rerender(<ChatLog chat={reduceEvents(INITIAL_CHAT_STATE, [snapshotOf(COUNT + 1, 2)])} emptyText="nothing" />);
    await vi.waitFor(() => expect(positions().at(-1)).toBe(COUNT + 1));
    await vi.waitFor(() => expect(bottomGap()).toBe(0));

    act(() => conversation().scrollTo({ top: 1_000 }));
    view.rerender(<ChatLog chat={reduceEvents(INITIAL_CHAT_STATE, [snapshotOf(COUNT + 2, 3)])} emptyText="nothing" />);
    await vi.waitFor(() => expect(screen.getByRole('list', { name: 'Messages' }).getAttribute('data-message-count')).toBe(String(COUNT + 2)));
    expect(conversation().scrollTop).toBe(1_000);
    expect(screen.queryByText(`message ${COUNT + 2}`)).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Jump to latest' }));
    await screen.findByText(`message ${COUNT + 2}`);
  });
});
