import { describe, expect, it } from 'vitest';
import { CUSTOM_EVENT, EventType, sessionEventSchema } from '@ambient/contracts';
import type { AgUiEvent, SessionEvent } from '@ambient/contracts';
import { compactEvents, planResume, SessionCompactor } from './compaction.ts';
import { ConversationFold } from './conversation-fold.ts';
import { applyJsonPatch } from './json-patch.ts';
import { scriptRun, scriptSession, withSeqs } from './test-support/session-script.ts';
import type { ScriptedRun } from './test-support/session-script.ts';

const event = (type: EventType, fields: Record<string, unknown> = {}): AgUiEvent => ({ type, ...fields });
const fold = (events: readonly AgUiEvent[]) => new ConversationFold().applyAll(withSeqs(events));

describe('ConversationFold', () => {
  it.each<[string, AgUiEvent[], unknown[]]>([
    [
      'user and assistant text streamed in deltas',
      [
        event(EventType.TEXT_MESSAGE_START, { messageId: 'u', role: 'user' }),
        event(EventType.TEXT_MESSAGE_CONTENT, { messageId: 'u', delta: 'hel' }),
        event(EventType.TEXT_MESSAGE_CONTENT, { messageId: 'u', delta: 'lo' }),
        event(EventType.TEXT_MESSAGE_END, { messageId: 'u' }),
        event(EventType.TEXT_MESSAGE_START, { messageId: 'a', role: 'assistant' }),
        event(EventType.TEXT_MESSAGE_CONTENT, { messageId: 'a', delta: 'hi' }),
      ],
      [
        { id: 'u', role: 'user', content: 'hello' },
        { id: 'a', role: 'assistant', content: 'hi' },
      ],
    ],
    [
      'tool calls attached to their parent message, results as tool messages with error flags',
      [
        event(EventType.TEXT_MESSAGE_START, { messageId: 'a', role: 'assistant' }),
        event(EventType.TEXT_MESSAGE_CONTENT, { messageId: 'a', delta: 'let me look' }),
        event(EventType.TOOL_CALL_START, { toolCallId: 't1', toolCallName: 'Bash', parentMessageId: 'a' }),
        event(EventType.TOOL_CALL_ARGS, { toolCallId: 't1', delta: '{"command":' }),
        event(EventType.TOOL_CALL_ARGS, { toolCallId: 't1', delta: '"ls"}' }),
        event(EventType.TOOL_CALL_END, { toolCallId: 't1' }),
        event(EventType.TOOL_CALL_RESULT, { messageId: 't1-r', toolCallId: 't1', content: 'no such dir', metadata: { isError: true } }),
      ],
      [
        { id: 'a', role: 'assistant', content: 'let me look', toolCalls: [{ id: 't1', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls"}' } }] },
        { id: 't1-r', role: 'tool', toolCallId: 't1', content: 'no such dir', error: 'no such dir', metadata: { isError: true } },
      ],
    ],
    [
      'a tool call without text creates its assistant message',
      [
        event(EventType.TOOL_CALL_START, { toolCallId: 't1', toolCallName: 'Read', parentMessageId: 'm' }),
        event(EventType.TOOL_CALL_ARGS, { toolCallId: 't1', delta: '{}' }),
        event(EventType.TEXT_MESSAGE_START, { messageId: 'm', role: 'assistant' }),
        event(EventType.TEXT_MESSAGE_CONTENT, { messageId: 'm', delta: 'after' }),
      ],
      [{ id: 'm', role: 'assistant', content: 'after', toolCalls: [{ id: 't1', type: 'function', function: { name: 'Read', arguments: '{}' } }] }],
    ],
    [
      'reasoning',
      [
        event(EventType.REASONING_START, { messageId: 'r' }),
        event(EventType.REASONING_MESSAGE_START, { messageId: 'r', role: 'reasoning' }),
        event(EventType.REASONING_MESSAGE_CONTENT, { messageId: 'r', delta: 'think' }),
        event(EventType.REASONING_MESSAGE_END, { messageId: 'r' }),
      ],
      [{ id: 'r', role: 'reasoning', content: 'think' }],
    ],
    [
      'sub-agent nesting: attribution on its messages, status on the Task call',
      [
        event(EventType.TOOL_CALL_START, { toolCallId: 'task', toolCallName: 'Task', parentMessageId: 'a' }),
        event(EventType.SUBAGENT_STARTED, { subagentRunId: 'task', name: 'explorer', parentToolCallId: 'task' }),
        event(EventType.TEXT_MESSAGE_START, { messageId: 's', role: 'assistant', subagentRunId: 'task', metadata: { parentToolCallId: 'task' } }),
        event(EventType.TEXT_MESSAGE_CONTENT, { messageId: 's', delta: 'found it', subagentRunId: 'task' }),
        event(EventType.SUBAGENT_FINISHED, { subagentRunId: 'task', result: 'found it' }),
      ],
      [
        {
          id: 'a',
          role: 'assistant',
          toolCalls: [
            {
              id: 'task',
              type: 'function',
              function: { name: 'Task', arguments: '' },
              metadata: { subagent: { subagentRunId: 'task', status: 'finished', name: 'explorer', result: 'found it' } },
            },
          ],
        },
        { id: 's', role: 'assistant', content: 'found it', subagentRunId: 'task', metadata: { parentToolCallId: 'task' } },
      ],
    ],
    [
      'chunks without ids continue the last chunked message',
      [
        event(EventType.TEXT_MESSAGE_CHUNK, { messageId: 'c', role: 'assistant', delta: 'a' }),
        event(EventType.TEXT_MESSAGE_CHUNK, { delta: 'b' }),
        event(EventType.TOOL_CALL_CHUNK, { toolCallId: 'k', toolCallName: 'Grep', parentMessageId: 'c', delta: '{' }),
        event(EventType.TOOL_CALL_CHUNK, { delta: '}' }),
      ],
      [{ id: 'c', role: 'assistant', content: 'ab', toolCalls: [{ id: 'k', type: 'function', function: { name: 'Grep', arguments: '{}' } }] }],
    ],
    [
      'a MESSAGES_SNAPSHOT replaces the list and later events build on it',
      [
        event(EventType.TEXT_MESSAGE_START, { messageId: 'old', role: 'user' }),
        event(EventType.MESSAGES_SNAPSHOT, { messages: [{ id: 'a', role: 'assistant', content: 'x', toolCalls: [{ id: 't', type: 'function', function: { name: 'Bash', arguments: '' } }] }] }),
        event(EventType.TOOL_CALL_ARGS, { toolCallId: 't', delta: '{}' }),
        event(EventType.TEXT_MESSAGE_CONTENT, { messageId: 'a', delta: 'y' }),
      ],
      [{ id: 'a', role: 'assistant', content: 'xy', toolCalls: [{ id: 't', type: 'function', function: { name: 'Bash', arguments: '{}' } }] }],
    ],
    [
      'activity snapshots and deltas',
      [
        event(EventType.ACTIVITY_SNAPSHOT, { messageId: 'p', activityType: 'plan', content: { steps: ['a'] } }),
        event(EventType.ACTIVITY_DELTA, { messageId: 'p', activityType: 'plan', patch: [{ op: 'add', path: '/steps/-', value: 'b' }] }),
      ],
      [{ id: 'p', role: 'activity', activityType: 'plan', content: { steps: ['a', 'b'] } }],
    ],
  ])('folds %s', (_label, events, expected) => {
    expect(fold(events).messages).toEqual(expected);
  });

  it.each<[string, AgUiEvent[], unknown]>([
    ['deltas onto an empty state', [event(EventType.STATE_DELTA, { delta: [{ op: 'add', path: '/lastResult', value: { ok: 1 } }] })], { lastResult: { ok: 1 } }],
    [
      'a snapshot then a delta',
      [event(EventType.STATE_SNAPSHOT, { snapshot: { a: 1 } }), event(EventType.STATE_DELTA, { delta: [{ op: 'replace', path: '/a', value: 2 }] })],
      { a: 2 },
    ],
    [
      'a delta that does not apply (state unchanged, all or nothing)',
      [event(EventType.STATE_SNAPSHOT, { snapshot: { a: 1 } }), event(EventType.STATE_DELTA, { delta: [{ op: 'add', path: '/b', value: 1 }, { op: 'remove', path: '/missing' }] })],
      { a: 1 },
    ],
  ])('folds state: %s', (_label, events, expected) => {
    expect(fold(events).state).toEqual(expected);
  });
});

describe('ConversationFold run outcomes', () => {
  const run = (runId: string, text: string, outcome: 'success' | 'interrupt'): AgUiEvent[] => [
    event(EventType.RUN_STARTED, { runId }),
    event(EventType.TEXT_MESSAGE_CONTENT, { messageId: `${runId}-a`, delta: text }),
    event(EventType.RUN_FINISHED, { runId, outcome: { type: outcome } }),
  ];

  it('marks every run that did not succeed with the number of messages before its end', () => {
    const folded = fold([...run('r1', 'one', 'interrupt'), ...run('r2', 'two', 'success'), ...run('r3', 'three', 'interrupt')]);
    expect(folded.runOutcomes).toEqual([
      { seq: 3, runId: 'r1', outcome: 'interrupt', messageCount: 1 },
      { seq: 9, runId: 'r3', outcome: 'interrupt', messageCount: 3 },
    ]);
    expect(folded.lastRun).toEqual({ seq: 9, runId: 'r3', outcome: 'interrupt' });
  });

  it('takes the marks of a compacted snapshot, and drops them with a snapshot that has none', () => {
    const marks = [{ seq: 2, outcome: 'cancelled', messageCount: 1 }, { seq: 3, outcome: 'error', messageCount: 5 }, { seq: 'x', outcome: 'error', messageCount: 0 }];
    const messages = [{ id: 'a', role: 'assistant', content: 'x' }];
    const adopted = fold([...run('r1', 'one', 'interrupt'), event(EventType.MESSAGES_SNAPSHOT, { messages, metadata: { ambient: { runOutcomes: marks } } })]);
    // Only well-formed marks that fit the new list survive.
    expect(adopted.runOutcomes).toEqual([{ seq: 2, outcome: 'cancelled', messageCount: 1 }]);
    expect(fold([...run('r1', 'one', 'interrupt'), event(EventType.MESSAGES_SNAPSHOT, { messages })]).runOutcomes).toEqual([]);
  });
});

describe('applyJsonPatch', () => {
  it.each<[string, unknown, Record<string, unknown>[], unknown]>([
    ['add into an array', { a: [1, 3] }, [{ op: 'add', path: '/a/1', value: 2 }], { a: [1, 2, 3] }],
    ['move and copy', { a: { b: 1 } }, [{ op: 'copy', from: '/a/b', path: '/c' }, { op: 'move', from: '/a', path: '/d' }], { c: 1, d: { b: 1 } }],
    ['escaped pointers', {}, [{ op: 'add', path: '/x~1y~0', value: true }], { 'x/y~': true }],
    ['replace the root', { a: 1 }, [{ op: 'replace', path: '', value: [1] }], [1]],
  ])('%s', (_label, document, patch, expected) => {
    expect(applyJsonPatch(document, patch as never)).toEqual(expected);
  });

  it('fails a failed test operation and leaves the input untouched', () => {
    const document = { a: 1 };
    expect(() => applyJsonPatch(document, [{ op: 'add', path: '/b', value: 2 }, { op: 'test', path: '/a', value: 2 }])).toThrow(/test failed/);
    expect(document).toEqual({ a: 1 });
  });
});

const RUNS: ScriptedRun[] = [
  { runId: 'r1', user: 'write a file', reasoning: 'plan', reply: 'done', tools: [{ name: 'Write', input: { path: 'a.txt' }, result: 'ok' }], deltaLength: 2 },
  { runId: 'r2', user: 'break it', tools: [{ name: 'Bash', input: { command: 'false' }, result: 'exit 1', isError: true }], end: 'error', retried: true },
  { runId: 'r3', user: 'delegate', reply: 'asking a helper', subagent: { name: 'explorer', reply: 'found 3 files' }, end: 'cancelled' },
  { runId: 'r4', reply: 'background report', end: 'success' },
  { runId: 'r5', user: 'one more', reply: 'working on it', tools: [{ name: 'Read', input: { path: 'b' }, result: 'b!' }], end: 'open', deltaLength: 3 },
];

describe('SessionCompactor', () => {
  const log = scriptSession('s1', RUNS);
  const lastEnd = log.filter((entry) => entry.type === EventType.RUN_FINISHED || entry.type === EventType.RUN_ERROR).at(-1)!;

  it('replaces the finished runs with kept CUSTOM events, a STATE_SNAPSHOT and a MESSAGES_SNAPSHOT, in seq order', () => {
    const compacted = compactEvents(log);
    const prefix = compacted.filter((entry) => entry.seq <= lastEnd.seq);
    expect(prefix.map((entry) => [entry.type, entry['name']])).toEqual([
      [EventType.CUSTOM, CUSTOM_EVENT.lifecycle],
      [EventType.CUSTOM, CUSTOM_EVENT.sdkSession],
      [EventType.CUSTOM, CUSTOM_EVENT.runResult],
      [EventType.STATE_SNAPSHOT, undefined],
      [EventType.MESSAGES_SNAPSHOT, undefined],
    ]);
    const snapshot = prefix.at(-1)!;
    expect(snapshot.seq).toBe(lastEnd.seq);
    const endOf = (runId: string) => log.find((entry) => (entry.type === EventType.RUN_FINISHED || entry.type === EventType.RUN_ERROR) && entry['runId'] === runId)!.seq;
    expect(snapshot['metadata']).toEqual({
      ambient: {
        compactedThroughSeq: lastEnd.seq,
        finishedRuns: 4,
        lastRun: { seq: lastEnd.seq, runId: 'r4', outcome: 'success' },
        // Every run that did not succeed, not only the last: readers keep each one's marker where it was.
        runOutcomes: [
          { seq: endOf('r2'), runId: 'r2', outcome: 'error', message: 'Claude Code exited', code: 'claude_code_exited', messageCount: 7 },
          { seq: endOf('r3'), runId: 'r3', outcome: 'cancelled', messageCount: 11 },
        ],
      },
    });
    // The run in progress travels raw, starting with its RUN_STARTED.
    expect(compacted.slice(prefix.length)).toEqual(log.filter((entry) => entry.seq > lastEnd.seq));
    for (const frame of compacted) expect(sessionEventSchema.safeParse(frame).success, JSON.stringify(frame).slice(0, 200)).toBe(true);
  });

  it('keeps roles, tool calls, errors, reasoning and sub-agent nesting in the snapshot', () => {
    const messages = compactEvents(log).find((entry) => entry.type === EventType.MESSAGES_SNAPSHOT)!['messages'] as Record<string, unknown>[];
    expect(messages.map((message) => `${message['role']}:${message['id']}`)).toEqual([
      'user:r1-user', 'reasoning:r1-msg-1-reasoning-0', 'assistant:r1-msg-1', 'tool:r1-tool-0-result',
      'user:r2-user', 'assistant:r2-msg-1', 'tool:r2-tool-0-result',
      'user:r3-user', 'assistant:r3-msg-1', 'assistant:r3-msg-2', 'tool:r3-task-result',
      'assistant:r4-msg-1',
    ]);
    expect(messages[6]).toMatchObject({ role: 'tool', error: 'exit 1' });
    expect(messages[8]).toMatchObject({ toolCalls: [{ id: 'r3-task', metadata: { subagent: { name: 'explorer', status: 'finished' } } }] });
    expect(messages[9]).toMatchObject({ subagentRunId: 'r3-task', metadata: { parentToolCallId: 'r3-task' }, content: 'found 3 files' });
  });

  it.each<[string, SessionEvent[]]>([
    ['an empty log', []],
    ['only a run in progress', withSeqs(scriptRun('s', { runId: 'x', user: 'hi', end: 'open' }))],
  ])('sends %s raw', (_label, events) => {
    expect(compactEvents(events)).toEqual(events);
  });

  it('gives the same prefix when fed in pieces, forgetting the tail in between', () => {
    const whole = new SessionCompactor();
    whole.push(log);
    const pieces = new SessionCompactor();
    for (let start = 0; start < log.length; start += 7) {
      pieces.push(log.slice(0, start + 7)); // overlapping re-reads are skipped by seq
      pieces.forgetPending();
    }
    expect(pieces.prefix()).toEqual(whole.prefix());
    expect(pieces.finishedRuns).toBe(4);
    expect(pieces.lastSeenSeq).toBe(lastEnd.seq);
  });

  it.each<[number, number, number[], number]>([
    [0, 10, [3, 7, 10], 10],
    [3, 10, [7, 10], 10],
    [9, 10, [10], 10],
    [10, 10, [], 10],
    [12, 10, [], 12],
    [0, 0, [], 0],
  ])('planResume(after=%i, C=%i) replays %j then raw after %i', (afterSeq, throughSeq, replayed, rawAfterSeq) => {
    const prefix = throughSeq === 0 ? [] : [{ seq: 3 }, { seq: 7 }, { seq: 10 }];
    const plan = planResume(prefix, throughSeq, afterSeq);
    expect(plan.replay.map((frame) => frame.seq)).toEqual(replayed);
    expect(plan.rawAfterSeq).toBe(rawAfterSeq);
  });

  it('resumes exactly from every cursor: what a reader had plus what it gets equals reading everything', () => {
    const everything = new ConversationFold().applyAll(log);
    const compactedFromStart = compactEvents(log);
    const cursors: { had: SessionEvent[]; after: number }[] = [];
    for (let k = 0; k <= log.length; k += 1) cursors.push({ had: log.slice(0, k), after: k });
    // Readers that were themselves served a compacted stream and dropped after any frame.
    compactedFromStart.forEach((frame, index) => cursors.push({ had: compactedFromStart.slice(0, index + 1), after: frame.seq }));
    for (const { had, after } of cursors) {
      const got = compactEvents(log, after);
      const seqs = [...had, ...got].map((entry) => entry.seq);
      expect(seqs.every((seq, index) => index === 0 || seq > seqs[index - 1]!), `after=${after}`).toBe(true);
      const reader = new ConversationFold().applyAll([...had, ...got]);
      expect(reader.messages, `after=${after}`).toEqual(everything.messages);
      expect(reader.state, `after=${after}`).toEqual(everything.state);
      expect(reader.runOutcomes, `after=${after}`).toEqual(everything.runOutcomes);
      expect(reader.lastSeq).toBe(log.length);
    }
  });
});
