import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '@ambient/contracts';
import { EventRenderer } from './event-renderer.ts';

let seq = 0;
function event(type: string, fields: Record<string, unknown> = {}): SessionEvent {
  seq += 1;
  return { seq, type, timestamp: 0, ...fields } as SessionEvent;
}

function renderAll(events: SessionEvent[]): string {
  const renderer = new EventRenderer({ color: false });
  return events.map((each) => renderer.render(each)).join('') + renderer.finish();
}

const result = {
  subtype: 'success',
  isError: false,
  numTurns: 3,
  durationMs: 2_340,
  totalCostUsd: 0.00271,
};

describe('EventRenderer', () => {
  it('renders a run: the prompt, streamed text, one line per tool call, ✓/✗, and the final facts', () => {
    const output = renderAll([
      event('RUN_STARTED', { threadId: 's', runId: 'r' }),
      event('TEXT_MESSAGE_START', { messageId: 'u1', role: 'user' }),
      event('TEXT_MESSAGE_CONTENT', {
        messageId: 'u1',
        delta: 'WRITE_FILE hello.txt hi\nRUN_BASH false',
      }),
      event('TEXT_MESSAGE_END', { messageId: 'u1' }),
      event('CUSTOM', {
        name: 'ambient.sdk_session',
        value: { sdkSessionId: 'x', cwd: '/data/ws/artifacts' },
      }),
      event('TEXT_MESSAGE_START', { messageId: 'a1', role: 'assistant' }),
      event('TEXT_MESSAGE_CONTENT', { messageId: 'a1', delta: 'Writing the' }),
      event('TEXT_MESSAGE_CONTENT', { messageId: 'a1', delta: ' file.' }),
      event('TOOL_CALL_START', { toolCallId: 't1', toolCallName: 'Write' }),
      event('TOOL_CALL_ARGS', { toolCallId: 't1', delta: '{"file_path":"/data/ws/art' }),
      event('TOOL_CALL_ARGS', { toolCallId: 't1', delta: 'ifacts/hello.txt","content":"hi"}' }),
      event('TOOL_CALL_END', { toolCallId: 't1' }),
      event('TEXT_MESSAGE_END', { messageId: 'a1' }),
      event('TOOL_CALL_RESULT', {
        messageId: 'm',
        toolCallId: 't1',
        content: 'File created',
        metadata: { isError: false },
      }),
      event('TOOL_CALL_START', { toolCallId: 't2', toolCallName: 'Bash' }),
      event('TOOL_CALL_ARGS', {
        toolCallId: 't2',
        delta: '{"command":"false","description":"fail"}',
      }),
      event('TOOL_CALL_END', { toolCallId: 't2' }),
      event('TOOL_CALL_RESULT', {
        messageId: 'n',
        toolCallId: 't2',
        content: 'Exit code 1\nmore',
        metadata: { isError: true },
      }),
      event('TEXT_MESSAGE_START', { messageId: 'a2', role: 'assistant' }),
      event('TEXT_MESSAGE_CONTENT', { messageId: 'a2', delta: 'Done.' }),
      event('TEXT_MESSAGE_END', { messageId: 'a2' }),
      event('CUSTOM', { name: 'ambient.run_result', value: result }),
      event('STATE_DELTA', { delta: [] }),
      event('RUN_FINISHED', { threadId: 's', runId: 'r', result, outcome: { type: 'success' } }),
    ]);
    expect(output).toBe(
      [
        '> WRITE_FILE hello.txt hi',
        '  RUN_BASH false',
        'Writing the file.',
        '→ Write hello.txt',
        '  ✓',
        '→ Bash false',
        '  ✗ Exit code 1',
        'Done.',
        '✔ run finished · 3 turns · $0.0027 · 2.3 s',
        '',
      ].join('\n'),
    );
  });

  it('reports failed and cancelled runs with the facts of the last result', () => {
    const output = renderAll([
      event('CUSTOM', {
        name: 'ambient.run_result',
        value: { ...result, isError: true, numTurns: 1 },
      }),
      event('RUN_ERROR', { message: 'the model is overloaded', code: 'error_during_execution' }),
      event('RUN_FINISHED', { threadId: 's', runId: 'r2', outcome: { type: 'cancelled' } }),
    ]);
    expect(output).toBe(
      '✗ run failed: the model is overloaded · 1 turn · $0.0027 · 2.3 s\n■ run cancelled\n',
    );
  });

  it('closes an unfinished line when the watch ends mid-message, and shows retries', () => {
    const output = renderAll([
      event('TEXT_MESSAGE_START', { messageId: 'a', role: 'assistant' }),
      event('TEXT_MESSAGE_CONTENT', { messageId: 'a', delta: 'partial' }),
      event('CUSTOM', {
        name: 'ambient.api_retry',
        value: { attempt: 1, maxRetries: 10, errorStatus: 529 },
      }),
    ]);
    expect(output).toBe('partial\n… model API 529, retrying (attempt 1/10)\n');
  });

  it("indents sub-agents' tool calls and leaves out their prose", () => {
    const nested = { subagentRunId: 'task-1' };
    const output = renderAll([
      event('TOOL_CALL_START', { toolCallId: 'task-1', toolCallName: 'Task' }),
      event('TOOL_CALL_ARGS', {
        toolCallId: 'task-1',
        delta: '{"description":"explore the repo","prompt":"…"}',
      }),
      event('TOOL_CALL_END', { toolCallId: 'task-1' }),
      event('TEXT_MESSAGE_START', { messageId: 's1', role: 'assistant', ...nested }),
      event('TEXT_MESSAGE_CONTENT', { messageId: 's1', delta: 'thinking aloud', ...nested }),
      event('TEXT_MESSAGE_END', { messageId: 's1', ...nested }),
      event('TOOL_CALL_START', { toolCallId: 'g1', toolCallName: 'Glob', ...nested }),
      event('TOOL_CALL_ARGS', { toolCallId: 'g1', delta: '{"pattern":"**/*.ts"}', ...nested }),
      event('TOOL_CALL_END', { toolCallId: 'g1', ...nested }),
      event('TOOL_CALL_RESULT', {
        messageId: 'x',
        toolCallId: 'g1',
        content: 'a.ts',
        metadata: { isError: false },
        ...nested,
      }),
      event('TOOL_CALL_RESULT', {
        messageId: 'y',
        toolCallId: 'task-1',
        content: 'found',
        metadata: { isError: false },
      }),
    ]);
    expect(output).toBe('→ Task explore the repo\n    → Glob **/*.ts\n      ✓\n  ✓\n');
  });
});
