import { describe, expect, it } from 'vitest';
import { CUSTOM_EVENT, EventType } from '@ambient/contracts';
import type { SessionEvent } from '@ambient/contracts';
import type { AssistantMessage, ChatState } from './chat-types.ts';
import { INITIAL_CHAT_STATE, reduceEvent, reduceEvents } from './reduce-events.ts';

/** Numbers events 1..n in order, like the event log does. */
function numbered(events: ReadonlyArray<Record<string, unknown> & { type: EventType }>, firstSeq = 1): SessionEvent[] {
  return events.map((event, index) => ({ ...event, seq: firstSeq + index }) as SessionEvent);
}

function applyOneByOne(events: readonly SessionEvent[], state: ChatState = INITIAL_CHAT_STATE): ChatState {
  return events.reduce(reduceEvent, state);
}

const userTurn = (messageId: string, text: string) => [
  { type: EventType.TEXT_MESSAGE_START, messageId, role: 'user' },
  { type: EventType.TEXT_MESSAGE_CONTENT, messageId, delta: text },
  { type: EventType.TEXT_MESSAGE_END, messageId },
];

const conversation = numbered([
  { type: EventType.RUN_STARTED, threadId: 't', runId: 'run-1' },
  ...userTurn('u1', 'WRITE_FILE notes.txt hi'),
  { type: EventType.TEXT_MESSAGE_START, messageId: 'a1', role: 'assistant' },
  { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'a1', delta: 'Writing ' },
  { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'a1', delta: 'the file.' },
  { type: EventType.TEXT_MESSAGE_END, messageId: 'a1' },
  { type: EventType.TOOL_CALL_START, toolCallId: 'call-1', toolCallName: 'Write', parentMessageId: 'a1' },
  { type: EventType.TOOL_CALL_ARGS, toolCallId: 'call-1', delta: '{"file_path":"notes.txt",' },
  { type: EventType.TOOL_CALL_ARGS, toolCallId: 'call-1', delta: '"content":"hi"}' },
  { type: EventType.TOOL_CALL_END, toolCallId: 'call-1' },
  { type: EventType.TOOL_CALL_RESULT, messageId: 'call-1-result', toolCallId: 'call-1', role: 'tool', content: 'File created', metadata: { isError: false } },
  { type: EventType.TEXT_MESSAGE_START, messageId: 'a2', role: 'assistant' },
  { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'a2', delta: 'Done.' },
  { type: EventType.TEXT_MESSAGE_END, messageId: 'a2' },
  { type: EventType.CUSTOM, name: CUSTOM_EVENT.runResult, value: { subtype: 'success', isError: false, numTurns: 2, totalCostUsd: 0.0123 } },
  { type: EventType.RUN_FINISHED, threadId: 't', runId: 'run-1' },
]);

describe('reduceEvents', () => {
  it('folds a run into user text, streamed assistant text, a tool call with its result, and the result', () => {
    const state = reduceEvents(INITIAL_CHAT_STATE, conversation);
    expect(state.lastSeq).toBe(conversation.length);
    expect(state.messages.map((message) => [message.role, message.id])).toEqual([
      ['user', 'u1'],
      ['assistant', 'a1'],
      ['tool', 'call-1-result'],
      ['assistant', 'a2'],
    ]);
    const writer = state.messages[1] as AssistantMessage;
    expect(writer.content).toBe('Writing the file.');
    expect(writer.streaming).toBe(false);
    expect(writer.toolCalls).toEqual([
      { id: 'call-1', name: 'Write', arguments: '{"file_path":"notes.txt","content":"hi"}', argumentsComplete: true },
    ]);
    expect(state.messages[2]).toMatchObject({ toolCallId: 'call-1', content: 'File created', isError: false });
    expect(state.run).toEqual({ status: 'finished', runId: 'run-1' });
    expect(state.lastResult).toMatchObject({ isError: false, numTurns: 2, totalCostUsd: 0.0123 });
  });

  it('is exactly-once: applying the same seq again changes nothing and keeps the same object', () => {
    const state = reduceEvents(INITIAL_CHAT_STATE, conversation);
    expect(reduceEvent(state, conversation[4]!)).toBe(state);
    expect(reduceEvents(state, conversation)).toBe(state);
    // A batch that repeats events (a reconnect overlapping what was delivered) applies each once.
    const overlapping = [...conversation.slice(0, 8), ...conversation.slice(3, 12), ...conversation.slice(6)];
    expect(reduceEvents(INITIAL_CHAT_STATE, overlapping)).toEqual(state);
  });

  it('gives the same chat whether events arrive one by one, in one batch, or split at any seq', () => {
    const whole = reduceEvents(INITIAL_CHAT_STATE, conversation);
    expect(applyOneByOne(conversation)).toEqual(whole);
    for (let split = 0; split <= conversation.length; split += 1) {
      const resumed = reduceEvents(reduceEvents(INITIAL_CHAT_STATE, conversation.slice(0, split)), conversation.slice(split));
      expect(resumed).toEqual(whole);
    }
  });

  it('marks text as streaming until its end, and joins a stream whose start it never saw', () => {
    const partial = reduceEvents(INITIAL_CHAT_STATE, conversation.slice(0, 6));
    expect(partial.messages.at(-1)).toMatchObject({ id: 'a1', content: 'Writing ', streaming: true });
    // A reader resuming in the middle of a message (its START compacted away or before its cursor).
    const tail = numbered(
      [
        { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'late', delta: 'first half, ' },
        { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'late', delta: 'second half' },
        { type: EventType.TEXT_MESSAGE_END, messageId: 'late' },
      ],
      40,
    );
    const joined = reduceEvents(INITIAL_CHAT_STATE, tail);
    expect(joined.messages).toEqual([
      { id: 'late', role: 'assistant', content: 'first half, second half', toolCalls: [], streaming: false },
    ]);
    expect(joined.lastSeq).toBe(42);
  });

  it('keeps untouched messages as the same objects, so React skips re-rendering them', () => {
    const before = reduceEvents(INITIAL_CHAT_STATE, conversation.slice(0, 13));
    const after = reduceEvents(before, conversation.slice(13, 15));
    expect(after.messages[0]).toBe(before.messages[0]);
    expect(after.messages[1]).toBe(before.messages[1]);
    expect(after.messages[2]).toBe(before.messages[2]);
    expect(after.messages.at(-1)).toMatchObject({ id: 'a2', content: 'Done.' });
    expect(before.messages).toHaveLength(3); // the earlier state was not mutated
  });

  it('replaces the messages with a MESSAGES_SNAPSHOT and ignores events the snapshot covers', () => {
    const live = reduceEvents(INITIAL_CHAT_STATE, conversation.slice(0, 5));
    const snapshot = {
      type: EventType.MESSAGES_SNAPSHOT,
      seq: 20,
      messages: [
        { id: 'u1', role: 'user', content: 'WRITE_FILE notes.txt hi' },
        {
          id: 'a1',
          role: 'assistant',
          content: 'Writing the file.',
          toolCalls: [{ id: 'call-1', type: 'function', function: { name: 'Write', arguments: '{}' } }],
        },
        { id: 'call-1-result', role: 'tool', toolCallId: 'call-1', content: 'boom', error: 'boom' },
        { id: 'r1', role: 'reasoning', content: 'thinking about it' },
        { id: 'act', role: 'activity', activityType: 'x', content: {} },
      ],
      metadata: { ambient: { compactedThroughSeq: 20, finishedRuns: 1, lastRun: { seq: 20, runId: 'run-1', outcome: 'success' } } },
    } as SessionEvent;
    const state = reduceEvents(live, [snapshot, ...conversation.slice(10, 15)]);
    expect(state.messages.map((message) => message.id)).toEqual(['u1', 'a1', 'call-1-result', 'r1']);
    expect(state.messages[2]).toMatchObject({ role: 'tool', isError: true, content: 'boom' });
    expect((state.messages[1] as AssistantMessage).toolCalls[0]).toMatchObject({ name: 'Write', argumentsComplete: true });
    expect(state.run).toEqual({ status: 'finished', runId: 'run-1' });
    expect(state.lastSeq).toBe(20);
    // The tail after the snapshot continues it.
    const tail = numbered([{ type: EventType.RUN_STARTED, runId: 'run-2' }, ...userTurn('u2', 'again')], 21);
    expect(reduceEvents(state, tail).messages.map((message) => message.id)).toEqual(['u1', 'a1', 'call-1-result', 'r1', 'u2']);
  });

  it('shows the last run error a snapshot carries, and keeps sub-agent status from tool call metadata', () => {
    const snapshot = {
      type: EventType.MESSAGES_SNAPSHOT,
      seq: 9,
      messages: [
        {
          id: 'a1',
          role: 'assistant',
          toolCalls: [{ id: 'task-1', type: 'function', function: { name: 'Task', arguments: '{}' }, metadata: { subagent: { name: 'explorer', status: 'finished', result: 'found it' } } }],
        },
        { id: 's1', role: 'assistant', content: 'inside', subagentRunId: 'task-1' },
      ],
      metadata: { ambient: { lastRun: { seq: 9, outcome: 'error', message: 'Claude Code exited' } } },
    } as SessionEvent;
    const state = reduceEvent(INITIAL_CHAT_STATE, snapshot);
    expect(state.subagents['task-1']).toEqual({ id: 'task-1', name: 'explorer', description: undefined, status: 'finished', message: 'found it' });
    expect(state.messages[1]).toMatchObject({ subagentRunId: 'task-1' });
    expect(state.messages.at(-1)).toEqual({ id: 'run-error-9', role: 'run-error', message: 'Claude Code exited' });
    expect(state.run.status).toBe('failed');
  });

  it('puts the marker of every interrupted or failed run a snapshot lists where the run ended', () => {
    const messages = [
      { id: 'u1', role: 'user', content: 'SLOW_TEXT 300' },
      { id: 'a1', role: 'assistant', content: 'word1' },
      { id: 'u2', role: 'user', content: 'again' },
      { id: 'a2', role: 'assistant', content: 'word1 word2' },
    ];
    const runOutcomes = [
      { seq: 5, runId: 'run-1', outcome: 'interrupt', messageCount: 2 },
      { seq: 9, runId: 'run-2', outcome: 'error', message: 'overloaded', code: 'overloaded', messageCount: 4 },
    ];
    const withMarks = { type: EventType.MESSAGES_SNAPSHOT, seq: 12, messages, metadata: { ambient: { lastRun: { seq: 12, outcome: 'success' }, runOutcomes } } } as SessionEvent;
    expect(reduceEvent(INITIAL_CHAT_STATE, withMarks).messages.map((message) => message.id)).toEqual(['u1', 'a1', 'run-cancelled-5', 'u2', 'a2', 'run-error-9']);
    expect(reduceEvent(INITIAL_CHAT_STATE, withMarks).messages[5]).toEqual({ id: 'run-error-9', role: 'run-error', message: 'overloaded', code: 'overloaded' });
    // A server from before `runOutcomes` names only the last run: its marker goes at the end.
    const lastOnly = { type: EventType.MESSAGES_SNAPSHOT, seq: 9, messages, metadata: { ambient: { lastRun: { seq: 9, outcome: 'cancelled' } } } } as SessionEvent;
    const state = reduceEvent(INITIAL_CHAT_STATE, lastOnly);
    expect(state.messages.at(-1)).toEqual({ id: 'run-cancelled-9', role: 'notice', content: 'Interrupted' });
    expect(state.run.status).toBe('cancelled');
  });

  it('labels sub-agent work and follows the sub-agent from start to finish', () => {
    const events = numbered([
      { type: EventType.TOOL_CALL_START, toolCallId: 'task-1', toolCallName: 'Task', parentMessageId: 'a1' },
      { type: EventType.SUBAGENT_STARTED, subagentRunId: 'task-1', name: 'explorer', description: 'look around', parentToolCallId: 'task-1' },
      { type: EventType.TEXT_MESSAGE_START, messageId: 's1', role: 'assistant', subagentRunId: 'task-1', metadata: { parentToolCallId: 'task-1' } },
      { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 's1', delta: 'exploring', subagentRunId: 'task-1', metadata: { parentToolCallId: 'task-1' } },
      { type: EventType.SUBAGENT_FINISHED, subagentRunId: 'task-1', outcome: { type: 'success' }, result: 'found it' },
    ]);
    const state = reduceEvents(INITIAL_CHAT_STATE, events);
    expect(state.messages[1]).toMatchObject({ id: 's1', subagentRunId: 'task-1', content: 'exploring' });
    expect(state.subagents['task-1']).toMatchObject({ name: 'explorer', description: 'look around', status: 'finished', message: 'found it' });
  });

  it('folds reasoning into its own message', () => {
    const events = numbered([
      { type: EventType.REASONING_START, messageId: 'r1' },
      { type: EventType.REASONING_MESSAGE_START, messageId: 'r1', role: 'reasoning' },
      { type: EventType.REASONING_MESSAGE_CONTENT, messageId: 'r1', delta: 'Let me ' },
      { type: EventType.REASONING_MESSAGE_CONTENT, messageId: 'r1', delta: 'think.' },
      { type: EventType.REASONING_MESSAGE_END, messageId: 'r1' },
      { type: EventType.REASONING_END, messageId: 'r1' },
    ]);
    expect(reduceEvents(INITIAL_CHAT_STATE, events).messages).toEqual([
      { id: 'r1', role: 'reasoning', content: 'Let me think.', streaming: false },
    ]);
  });

  it('shows RUN_ERROR in the conversation and closes what was still streaming', () => {
    const events = numbered([
      { type: EventType.RUN_STARTED, runId: 'run-1' },
      { type: EventType.TEXT_MESSAGE_START, messageId: 'a1', role: 'assistant' },
      { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'a1', delta: 'partial' },
      { type: EventType.RUN_ERROR, runId: 'run-1', message: 'overloaded', code: 'error_during_execution' },
    ]);
    const state = reduceEvents(INITIAL_CHAT_STATE, events);
    expect(state.messages).toEqual([
      { id: 'a1', role: 'assistant', content: 'partial', toolCalls: [], streaming: false },
      { id: 'run-error-4', role: 'run-error', message: 'overloaded', code: 'error_during_execution' },
    ]);
    expect(state.run).toEqual({ status: 'failed', runId: 'run-1' });
  });

  it('tells an interrupted (cancelled) run from a finished one', () => {
    const events = numbered([
      { type: EventType.RUN_STARTED, runId: 'run-1' },
      { type: EventType.RUN_FINISHED, runId: 'run-1', outcome: { type: 'cancelled' } },
    ]);
    const interrupted = reduceEvents(INITIAL_CHAT_STATE, events);
    expect(interrupted.run).toEqual({ status: 'cancelled', runId: 'run-1' });
    expect(interrupted.messages).toEqual([{ id: 'run-cancelled-2', role: 'notice', content: 'Interrupted' }]);
    expect(reduceEvents(INITIAL_CHAT_STATE, events.slice(0, 1)).run).toEqual({ status: 'running', runId: 'run-1' });
  });

  it('shows API retries until output flows again, the model, and lifecycle notices', () => {
    const events = numbered([
      { type: EventType.CUSTOM, name: CUSTOM_EVENT.sdkSession, value: { sdkSessionId: 'x', model: 'claude-test' } },
      { type: EventType.CUSTOM, name: CUSTOM_EVENT.apiRetry, value: { attempt: 2, maxRetries: 10, errorStatus: 529 } },
    ]);
    const retrying = reduceEvents(INITIAL_CHAT_STATE, events);
    expect(retrying.retry).toEqual({ attempt: 2, maxRetries: 10, errorStatus: 529 });
    expect(retrying.model).toBe('claude-test');
    const resumed = reduceEvents(retrying, numbered([{ type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'a', delta: 'ok' }], 3));
    expect(resumed.retry).toBeUndefined();
    const notice = reduceEvents(
      resumed,
      numbered([{ type: EventType.CUSTOM, name: CUSTOM_EVENT.lifecycle, value: { phase: 'Stopped', reason: 'timeout', message: 'stopped after 60 s' } }], 4),
    );
    expect(notice.messages.at(-1)).toEqual({ id: 'notice-4', role: 'notice', content: 'stopped after 60 s' });
    // The same sentence again (Stopping, then Stopped) is not repeated.
    const again = reduceEvents(
      notice,
      numbered([{ type: EventType.CUSTOM, name: CUSTOM_EVENT.lifecycle, value: { phase: 'Stopped', message: 'stopped after 60 s' } }], 5),
    );
    expect(again.messages).toHaveLength(notice.messages.length);
    expect(again.lastSeq).toBe(5);
  });

  it('upserts a repeated tool result by its message id instead of adding a second one', () => {
    const result = { type: EventType.TOOL_CALL_RESULT, messageId: 'r', toolCallId: 'c', content: 'first' };
    const state = reduceEvents(INITIAL_CHAT_STATE, numbered([result, { ...result, content: [{ type: 'text', text: 'second' }] }]));
    expect(state.messages).toEqual([{ id: 'r', role: 'tool', toolCallId: 'c', content: 'second', isError: false }]);
  });

  it('advances the cursor over events the chat does not show', () => {
    const state = reduceEvents(INITIAL_CHAT_STATE, numbered([{ type: EventType.STATE_DELTA, delta: [] }, { type: EventType.RAW, event: {} }]));
    expect(state.lastSeq).toBe(2);
    expect(state.messages).toEqual([]);
  });
});
