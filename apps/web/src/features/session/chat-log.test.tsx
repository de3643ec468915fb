// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT, EventType } from '@ambient/contracts';
import type { SessionEvent } from '@ambient/contracts';
import { ChatLog } from './chat-log';
import { INITIAL_CHAT_STATE, reduceEvents } from './reduce-events';

afterEach(cleanup);

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
