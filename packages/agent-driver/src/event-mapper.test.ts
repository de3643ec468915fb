/**
 * Table tests over REAL recorded SDK message sequences (see __fixtures__/record-fixtures.ts):
 * the mapped AG-UI event shape per scenario, plus invariants every mapping must keep.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agUiEventSchema, CUSTOM_EVENT, EventType, sessionResultSchema } from '@ambient/contracts';
import type { AgUiEvent } from '@ambient/contracts';
import type { SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { createEventMapper, MAX_RESULT_TEXT_LENGTH, SubagentTracker } from './index.ts';
import type { EventMapper } from './index.ts';

/** Where record-fixtures.ts runs Claude Code (a fixed path, so fixtures are stable). */
const FIXTURE_WORKSPACE = '/tmp/ambient-fixture-workspace';

interface Fixture {
  scenario: string;
  messages: SDKMessage[];
}

function loadFixture(name: string): Fixture {
  return JSON.parse(
    readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8'),
  ) as Fixture;
}

/** Maps a recorded sequence like the session driver does: one mapper per turn, ended by `result`. */
function mapFixture(messages: SDKMessage[]): AgUiEvent[][] {
  const subagents = new SubagentTracker();
  const runs: AgUiEvent[][] = [];
  let mapper: EventMapper | undefined;
  let clock = 1_800_000_000_000;
  for (const message of messages) {
    if (!mapper) {
      mapper = createEventMapper({
        threadId: 'session-1',
        runId: `run-${runs.length + 1}`,
        now: () => ++clock,
        subagents,
      });
      runs.push([]);
    }
    runs.at(-1)!.push(...mapper.map(message));
    if (message.type === 'result') mapper = undefined;
  }
  return runs;
}

/** A compact, chunking-independent description: `TYPE[:detail][@sub]`, repeated deltas folded. */
function summarize(events: AgUiEvent[]): string[] {
  const summary: string[] = [];
  for (const event of events) {
    let detail = '';
    if (event.type === EventType.TEXT_MESSAGE_START) detail = `:${String(event['role'])}`;
    if (event.type === EventType.TOOL_CALL_START) detail = `:${String(event['toolCallName'])}`;
    if (event.type === EventType.CUSTOM) detail = `:${String(event['name'])}`;
    if (event.type === EventType.TOOL_CALL_RESULT) {
      detail = (event['metadata'] as { isError?: boolean }).isError ? ':error' : ':ok';
    }
    const repeated = event.type.endsWith('_CONTENT') || event.type.endsWith('_ARGS') ? '+' : '';
    const speaker = event['subagentRunId'] && !event.type.startsWith('SUBAGENT') ? '@sub' : '';
    const folded = `${event.type}${detail}${repeated}${speaker}`;
    if (repeated && summary.at(-1) === folded) continue;
    summary.push(folded);
  }
  return summary;
}

const SESSION = `CUSTOM:${CUSTOM_EVENT.sdkSession}`;
const RESULT = [`CUSTOM:${CUSTOM_EVENT.runResult}`, 'STATE_DELTA'];
const TEXT = ['TEXT_MESSAGE_START:assistant', 'TEXT_MESSAGE_CONTENT+', 'TEXT_MESSAGE_END'];
const tool = (name: string, result: 'ok' | 'error') => [
  `TOOL_CALL_START:${name}`,
  'TOOL_CALL_ARGS+',
  'TOOL_CALL_END',
  `TOOL_CALL_RESULT:${result}`,
];

const EXPECTED_RUNS: [string, string[][]][] = [
  ['text-reply', [[SESSION, ...TEXT, ...RESULT]]],
  ['write-file', [[SESSION, ...tool('Write', 'ok'), ...TEXT, ...RESULT]]],
  ['bash', [[SESSION, ...tool('Bash', 'ok'), ...TEXT, ...RESULT]]],
  [
    'two-turns',
    [
      [SESSION, ...TEXT, ...RESULT],
      [SESSION, ...TEXT, ...RESULT],
    ],
  ],
  // The interrupted text is closed (TEXT_MESSAGE_END) before the error result.
  [
    'interrupt',
    [
      [SESSION, ...TEXT, ...RESULT],
      [SESSION, ...TEXT, ...RESULT],
    ],
  ],
  // The API error reaches the user as the CLI's synthetic assistant text.
  ['api-error', [[SESSION, `CUSTOM:${CUSTOM_EVENT.apiRetry}`, ...TEXT, ...RESULT]]],
  [
    'subagent',
    [
      [
        SESSION,
        'TOOL_CALL_START:Task',
        'TOOL_CALL_ARGS+',
        'TOOL_CALL_END',
        'SUBAGENT_STARTED',
        'TOOL_CALL_RESULT:ok',
        ...TEXT,
        'TEXT_MESSAGE_START:assistant@sub',
        'TEXT_MESSAGE_CONTENT+@sub',
        'TEXT_MESSAGE_END@sub',
        'SUBAGENT_FINISHED',
        ...RESULT,
      ],
      // The CLI starts a turn of its own to tell the main agent the background task is done.
      [SESSION, ...TEXT, ...RESULT],
    ],
  ],
];

describe('createEventMapper over recorded Claude Code sessions', () => {
  it.each(EXPECTED_RUNS)('%s maps to the expected runs', (name, expected) => {
    expect(mapFixture(loadFixture(name).messages).map(summarize)).toEqual(expected);
  });

  it.each(EXPECTED_RUNS.map(([name]) => name))(
    '%s: every event is a valid AG-UI event with an integer ms timestamp',
    (name) => {
      for (const event of mapFixture(loadFixture(name).messages).flat()) {
        expect(agUiEventSchema.safeParse(event).success, JSON.stringify(event)).toBe(true);
        expect(Number.isInteger(event.timestamp)).toBe(true);
      }
    },
  );

  it.each(EXPECTED_RUNS.map(([name]) => name))(
    '%s: text is emitted exactly once per assistant text block',
    (name) => {
      const fixture = loadFixture(name);
      const events = mapFixture(fixture.messages).flat();
      const textByMessage = new Map<string, string>();
      for (const event of events) {
        const messageId = String(event['messageId']);
        if (event.type === EventType.TEXT_MESSAGE_START) textByMessage.set(messageId, '');
        if (event.type === EventType.TEXT_MESSAGE_CONTENT) {
          textByMessage.set(
            messageId,
            (textByMessage.get(messageId) ?? '') + String(event['delta']),
          );
        }
      }
      const blocks = fixture.messages.flatMap((message) =>
        message.type === 'assistant'
          ? message.message.content.filter((block) => block.type === 'text')
          : [],
      );
      expect([...textByMessage.values()].map((text) => text.trim())).toEqual(
        blocks.map((block) => block.text.trim()),
      );
    },
  );

  it.each(EXPECTED_RUNS.map(([name]) => name))(
    '%s: starts and ends balance, tool calls end before their result',
    (name) => {
      const open = new Set<string>();
      for (const event of mapFixture(loadFixture(name).messages).flat()) {
        const key = String(event['messageId'] ?? event['toolCallId']);
        if (
          event.type === EventType.TEXT_MESSAGE_START ||
          event.type === EventType.TOOL_CALL_START
        ) {
          expect(open.has(key)).toBe(false);
          open.add(key);
        }
        if (event.type === EventType.TEXT_MESSAGE_END || event.type === EventType.TOOL_CALL_END) {
          expect(open.delete(key)).toBe(true);
        }
        if (event.type === EventType.TOOL_CALL_RESULT)
          expect(open.has(String(event['toolCallId']))).toBe(false);
      }
      expect(open.size).toBe(0);
    },
  );

  it('write-file: tool call carries the Write arguments, its result and its parent message', () => {
    const events = mapFixture(loadFixture('write-file').messages).flat();
    const start = events.find((event) => event.type === EventType.TOOL_CALL_START)!;
    const args = events
      .filter((event) => event.type === EventType.TOOL_CALL_ARGS)
      .map((event) => String(event['delta']))
      .join('');
    expect(JSON.parse(args)).toEqual({
      file_path: `${FIXTURE_WORKSPACE}/hello.txt`,
      content: 'hello world',
    });
    expect(start['parentMessageId']).toBe('run-1-msg-1');
    const result = events.find((event) => event.type === EventType.TOOL_CALL_RESULT)!;
    expect(result).toMatchObject({
      toolCallId: start['toolCallId'],
      role: 'tool',
      metadata: { isError: false },
    });
    expect(String(result['content'])).toContain('File created successfully');
  });

  it('result becomes a SessionResult in ambient.run_result and /lastResult', () => {
    const [run] = mapFixture(loadFixture('api-error').messages);
    const custom = run!.find((event) => event['name'] === CUSTOM_EVENT.runResult)!;
    const value = sessionResultSchema.parse(custom['value']);
    expect(value).toMatchObject({ subtype: 'success', isError: true, numTurns: 1 });
    expect(value.text).toContain('529');
    expect(run!.at(-1)).toMatchObject({
      type: EventType.STATE_DELTA,
      delta: [{ op: 'add', path: '/lastResult', value }],
    });
  });

  it('api_retry and sdk_session carry the documented fields', () => {
    const [run] = mapFixture(loadFixture('api-error').messages);
    expect(run!.find((event) => event['name'] === CUSTOM_EVENT.apiRetry)!['value']).toMatchObject({
      attempt: 1,
      maxRetries: 1,
      errorStatus: 529,
      error: 'overloaded',
    });
    const session = run!.find((event) => event['name'] === CUSTOM_EVENT.sdkSession)![
      'value'
    ] as Record<string, unknown>;
    expect(Object.keys(session).sort()).toEqual(['cwd', 'model', 'sdkSessionId', 'tools']);
    expect(session['cwd']).toBe(FIXTURE_WORKSPACE);
  });

  it('sub-agent events name their agent through subagentRunId and metadata.parentToolCallId', () => {
    const events = mapFixture(loadFixture('subagent').messages).flat();
    const taskCallId = String(
      events.find((event) => event.type === EventType.TOOL_CALL_START)!['toolCallId'],
    );
    expect(events.find((event) => event.type === EventType.SUBAGENT_STARTED)).toMatchObject({
      subagentRunId: taskCallId,
      name: 'general-purpose',
      description: 'Inspect workspace',
      parentToolCallId: taskCallId,
    });
    const spoken = events.filter(
      (event) => event['subagentRunId'] === taskCallId && event.type.startsWith('TEXT'),
    );
    expect(spoken.length).toBeGreaterThan(0);
    for (const event of spoken) expect(event['metadata']).toEqual({ parentToolCallId: taskCallId });
  });

  it('truncates a long result text to 10,000 characters', () => {
    const [message] = loadFixture('text-reply').messages.filter((entry) => entry.type === 'result');
    const long = { ...message!, result: 'x'.repeat(20_000) } as SDKMessage;
    const mapper = createEventMapper({ threadId: 'session-1', runId: 'run-1' });
    mapper.map(long);
    expect(mapper.result?.text).toHaveLength(MAX_RESULT_TEXT_LENGTH);
  });
});
