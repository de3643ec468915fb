/**
 * The fake against the REAL Claude Code CLI: overload errors, broken streams and interrupts, the
 * paths a runner must survive. Retries are capped at 2 to keep each test to a few seconds.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { query, type SDKMessage, type SDKUserMessage } from '@anthropic-ai/claude-agent-sdk';
import { describe, expect, it } from 'vitest';
import {
  CLAUDE_TEST_TIMEOUT_MS as timeout,
  resultOf,
  trace,
  useClaudeHarness,
} from './claude-code-harness.ts';

const claude = useClaudeHarness();
const twoRetries = { CLAUDE_CODE_MAX_RETRIES: '2' };

describe('real Claude Code against a failing fake model', () => {
  it('retries a 529 once (system api_retry) and then succeeds', { timeout }, async () => {
    const run = await claude.run('FAIL_529_ONCE', claude.options(twoRetries));

    expect(run.thrown).toBeUndefined();
    expect(trace(run.messages)).toEqual([
      'system:init',
      'system:api_retry',
      'assistant:text',
      'result:success',
    ]);
    expect(run.messages[1]).toMatchObject({ attempt: 1, max_retries: 2, error_status: 529 });
    expect(resultOf(run.messages)).toMatchObject({
      is_error: false,
      result: 'Fake model reply to: FAIL_529_ONCE',
    });
    expect(claude.fake.requests).toHaveLength(2);
  });

  it('ends in an error result when every attempt gets 529', { timeout }, async () => {
    const run = await claude.run('FAIL_529', claude.options(twoRetries));

    expect(String(run.thrown)).toContain('Claude Code returned an error result');
    expect(trace(run.messages)).toEqual([
      'system:init',
      'system:api_retry',
      'system:api_retry',
      'assistant:text',
      'result:success',
    ]);
    // subtype stays "success"; is_error and api_error_status carry the failure.
    expect(resultOf(run.messages)).toMatchObject({ is_error: true, api_error_status: 529 });
    expect(claude.fake.requests).toHaveLength(3);
  });

  it('falls back to the non-streaming form after broken streams', { timeout }, async () => {
    const prompt = 'BROKEN_STREAM\nWRITE_FILE recovered.txt recovered';
    const run = await claude.run(prompt, claude.options(twoRetries));

    expect(run.thrown).toBeUndefined();
    expect(await readFile(join(claude.workDir, 'recovered.txt'), 'utf8')).toBe('recovered');
    expect(resultOf(run.messages)).toMatchObject({ is_error: false, result: 'Done.' });
    // Each of the two turns: streaming attempts that break, then one stream:false request that wins.
    const streamFlags = claude.messageBodies().map((body) => body.stream);
    expect(streamFlags[0]).toBe(true);
    expect(streamFlags.filter((flag) => flag === false)).toHaveLength(2);
    expect(streamFlags.at(-1)).toBe(false);
  });

  it('can be interrupted during a slow streamed answer', { timeout }, async () => {
    let finishInput!: () => void;
    const inputDone = new Promise<void>((resolve) => (finishInput = resolve));
    async function* input(): AsyncIterable<SDKUserMessage> {
      yield {
        type: 'user',
        message: { role: 'user', content: 'SLOW_TEXT 300' },
        parent_tool_use_id: null,
        session_id: '',
      };
      await inputDone; // interrupt() needs streaming input, kept open until the turn is over
    }
    const conversation = query({
      prompt: input(),
      options: claude.options({}, { includePartialMessages: true }),
    });
    const messages: SDKMessage[] = [];
    let textDeltas = 0;
    try {
      for await (const message of conversation) {
        messages.push(message);
        if (message.type === 'stream_event' && message.event.type === 'content_block_delta') {
          textDeltas += 1;
          if (textDeltas === 3) await conversation.interrupt();
        }
        if (message.type === 'result') finishInput();
      }
    } catch {
      // Expected: the SDK throws after the error result an interrupt produces.
    }
    finishInput();

    expect(resultOf(messages)).toMatchObject({ subtype: 'error_during_execution', is_error: true });
    expect(textDeltas).toBeLessThan(300);
    expect(JSON.stringify(messages)).toContain('[Request interrupted by user]');
  });
});
