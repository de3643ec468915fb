/**
 * A reload must show the conversation a live reader saw. The server replays finished runs
 * compacted (core/compaction.ts) from whatever cursor the chat had; whatever that cursor, the chat
 * must end with the same messages, markers of interrupted and failed runs included, in the same
 * places and under the same ids, as the chat that followed every raw event.
 */
import { describe, expect, it } from 'vitest';
import { compactEvents } from '@ambient/core/compaction';
import { scriptSession } from '@ambient/core/test-support/session-script';
import type { ScriptedRun } from '@ambient/core/test-support/session-script';
import type { ChatMessage } from './chat-types';
import { INITIAL_CHAT_STATE, reduceEvents } from './reduce-events';

const RUNS: ScriptedRun[] = [
  { runId: 'r1', user: 'write a file', reasoning: 'plan', reply: 'done', tools: [{ name: 'Write', input: { path: 'a.txt' }, result: 'ok' }], deltaLength: 2 },
  { runId: 'r2', user: 'SLOW_TEXT 300', reply: 'word1 word2', end: 'cancelled' },
  { runId: 'r3', user: 'break it', tools: [{ name: 'Bash', input: { command: 'false' }, result: 'exit 1', isError: true }], end: 'error' },
  { runId: 'r4', user: 'delegate', reply: 'asking a helper', subagent: { name: 'explorer', reply: 'found 3 files' }, end: 'cancelled' },
  { runId: 'r5', user: 'go on', reply: 'all good', end: 'success' },
  { runId: 'r6', user: 'one more', reply: 'working on it', end: 'open', deltaLength: 3 },
];

/**
 * Lifecycle notices are left out: compaction keeps only the last `ambient.lifecycle` event, so a
 * reload shows the session's phase, not each earlier phase change.
 */
const conversation = (messages: readonly ChatMessage[]) =>
  messages.filter((message) => !message.id.startsWith('notice-'));

describe('reloading a session', () => {
  const log = scriptSession('s1', RUNS);
  const live = reduceEvents(INITIAL_CHAT_STATE, log);

  it('marks each interrupted and failed run where it ended', () => {
    const markers = conversation(live.messages).filter((message) => message.role === 'run-error' || message.id.startsWith('run-cancelled-'));
    expect(markers.map((message) => message.role)).toEqual(['notice', 'run-error', 'notice']);
  });

  it('shows the same conversation from every cursor as the chat that saw every event', () => {
    for (let cursor = 0; cursor <= log.length; cursor += 1) {
      const before = reduceEvents(INITIAL_CHAT_STATE, log.slice(0, cursor));
      const reloaded = reduceEvents(before, compactEvents(log, cursor));
      expect(conversation(reloaded.messages), `after=${cursor}`).toEqual(conversation(live.messages));
      expect(reloaded.lastSeq).toBe(live.lastSeq);
    }
  });
});
