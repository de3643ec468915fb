import { describe, expect, it } from 'vitest';
import { promptText, primaryWorkingDirectory } from './conversation.ts';
import { createDefaultPlan, parseMarkers, unescapeContent } from './default-plan.ts';
import { sampleClaudeCodeRequest, sampleTitleRequest, sampleToolTurn } from './sample-requests.ts';
import type { MessagesRequest, PlanContext } from './types.ts';

const plan = createDefaultPlan();
const firstContext: PlanContext = { requestIndex: 0, previousRequests: [] };

function reply(request: MessagesRequest, context: PlanContext = firstContext) {
  return plan(request, context);
}

describe('reading Claude Code requests', () => {
  it('takes the prompt from the last text block, past the <system-reminder> and the trailing system message', () => {
    const request = sampleClaudeCodeRequest({ prompt: 'hello there' });
    expect(request.messages.at(-1)?.role).toBe('system');
    expect(promptText(request)).toBe('hello there');
  });

  it('finds the working directory in the role:"system" environment message', () => {
    expect(
      primaryWorkingDirectory(sampleClaudeCodeRequest({ prompt: 'x', cwd: '/srv/work' })),
    ).toBe('/srv/work');
  });

  it('accepts string content', () => {
    const request: MessagesRequest = {
      messages: [{ role: 'user', content: 'plain string prompt' }],
    };
    expect(reply(request)).toMatchObject({
      kind: 'message',
      blocks: [{ type: 'text', text: 'Fake model reply to: plain string prompt' }],
    });
  });
});

describe('parseMarkers', () => {
  it('reads markers line by line, anywhere in the line, in order', () => {
    expect(
      parseMarkers(
        'please WRITE_FILE notes/a.txt one two\nRUN_BASH ls -la | wc -l\nSLOW_TEXT 7\nFAIL_529_ONCE',
      ),
    ).toEqual([
      { kind: 'write-file', path: 'notes/a.txt', content: 'one two' },
      { kind: 'run-bash', command: 'ls -la | wc -l' },
      { kind: 'slow-text', wordCount: 7 },
      { kind: 'fail-529-once' },
    ]);
  });

  it('ignores markers without their arguments and text that merely contains the letters', () => {
    expect(parseMarkers('WRITE_FILE\nRUN_BASH   \nXFAIL_529 NOT_A_MARKER')).toEqual([]);
  });

  it('unescapes \\n, \\t and \\\\ in file content', () => {
    expect(unescapeContent('a\\nb\\tc\\\\n')).toBe('a\nb\tc\\n');
    expect(parseMarkers('WRITE_FILE /x.txt line\\n')).toEqual([
      { kind: 'write-file', path: '/x.txt', content: 'line\n' },
    ]);
  });
});

describe('default plan', () => {
  it('echoes a prompt without markers', () => {
    const text = 'x'.repeat(100);
    expect(reply(sampleClaudeCodeRequest({ prompt: text }))).toEqual({
      kind: 'message',
      blocks: [{ type: 'text', text: `Fake model reply to: ${'x'.repeat(80)}` }],
      stopReason: 'end_turn',
    });
  });

  it('turns WRITE_FILE into a Write call with the path resolved against the working directory', () => {
    const request = sampleClaudeCodeRequest({
      prompt: 'WRITE_FILE out/hello.txt hi there\\n',
      cwd: '/srv/work',
    });
    expect(reply(request)).toEqual({
      kind: 'message',
      blocks: [
        {
          type: 'tool_use',
          name: 'Write',
          input: { file_path: '/srv/work/out/hello.txt', content: 'hi there\n' },
        },
      ],
      stopReason: 'tool_use',
    });
  });

  it('keeps absolute paths and falls back to the cwd option when the request names no directory', () => {
    const bare: MessagesRequest = {
      tools: [{ name: 'Write' }],
      messages: [{ role: 'user', content: 'WRITE_FILE rel.txt a\nWRITE_FILE /abs.txt b' }],
    };
    const withCwd = createDefaultPlan({ cwd: '/fallback' });
    expect(withCwd(bare, firstContext)).toMatchObject({
      blocks: [{ input: { file_path: '/fallback/rel.txt' } }],
    });
    const second = { ...bare, messages: [...bare.messages, ...sampleToolTurn('Write', {}, 'ok')] };
    expect(withCwd(second, firstContext)).toMatchObject({
      blocks: [{ input: { file_path: '/abs.txt' } }],
    });
  });

  it('turns RUN_BASH into a Bash call with a description', () => {
    expect(reply(sampleClaudeCodeRequest({ prompt: 'RUN_BASH echo hi > out.txt' }))).toMatchObject({
      blocks: [
        {
          type: 'tool_use',
          name: 'Bash',
          input: { command: 'echo hi > out.txt', description: expect.any(String) },
        },
      ],
    });
  });

  it('explains instead of calling a tool the request does not offer', () => {
    const request = sampleClaudeCodeRequest({ prompt: 'RUN_BASH ls', toolNames: ['Write'] });
    const result = reply(request);
    expect(result).toMatchObject({ kind: 'message', stopReason: 'end_turn' });
    expect(JSON.stringify(result)).toContain('Bash tool is not available');
  });

  it('runs several markers one per turn, counting returned tool results, then ends the turn', () => {
    const prompt = 'WRITE_FILE a.txt A\nRUN_BASH cat a.txt\nWRITE_FILE b.txt B';
    const writeA = sampleToolTurn('Write', { file_path: '/w/a.txt', content: 'A' }, 'File created');
    const bash = sampleToolTurn('Bash', { command: 'cat a.txt' }, 'A');
    const writeB = sampleToolTurn('Write', { file_path: '/w/b.txt', content: 'B' }, 'File created');
    const step = (turns: MessagesRequest['messages']) =>
      reply(sampleClaudeCodeRequest({ prompt, cwd: '/w', turns }));

    expect(step([])).toMatchObject({
      blocks: [{ name: 'Write', input: { file_path: '/w/a.txt' } }],
    });
    expect(step(writeA)).toMatchObject({
      blocks: [{ name: 'Bash', input: { command: 'cat a.txt' } }],
    });
    expect(step([...writeA, ...bash])).toMatchObject({
      blocks: [{ name: 'Write', input: { file_path: '/w/b.txt' } }],
    });
    expect(step([...writeA, ...bash, ...writeB])).toEqual({
      kind: 'message',
      blocks: [{ type: 'text', text: 'Done.' }],
      stopReason: 'end_turn',
    });
  });

  it('counts only tool results after the current prompt (earlier turns of a resumed session do not count)', () => {
    const earlier = sampleClaudeCodeRequest({
      prompt: 'RUN_BASH true',
      turns: [
        ...sampleToolTurn('Bash', { command: 'true' }, ''),
        { role: 'assistant', content: 'Done.' },
      ],
    });
    const resumed = {
      ...earlier,
      messages: [...earlier.messages, { role: 'user', content: 'RUN_BASH echo again' }],
    };
    expect(reply(resumed)).toMatchObject({
      blocks: [{ name: 'Bash', input: { command: 'echo again' } }],
    });
  });

  it('replies with final text after a tool result even for a tool it did not script', () => {
    const request = sampleClaudeCodeRequest({
      prompt: 'anything',
      turns: sampleToolTurn('Read', {}, 'content'),
    });
    expect(reply(request)).toMatchObject({
      blocks: [{ type: 'text', text: 'Done.' }],
      stopReason: 'end_turn',
    });
  });

  it('mentions a failed step in the final text', () => {
    const request = sampleClaudeCodeRequest({
      prompt: 'RUN_BASH rm -rf /',
      turns: sampleToolTurn('Bash', { command: 'rm -rf /' }, 'Permission denied', true),
    });
    expect(JSON.stringify(reply(request))).toContain('1 step(s) failed: Permission denied');
  });

  it('answers SLOW_TEXT with n words to be streamed slowly', () => {
    const result = createDefaultPlan({ slowChunkDelayMs: 7 })(
      sampleClaudeCodeRequest({ prompt: 'SLOW_TEXT 4' }),
      firstContext,
    );
    expect(result).toEqual({ kind: 'slow-text', text: 'word1 word2 word3 word4', chunkDelayMs: 7 });
  });

  it('fails every FAIL_529 request with 529 overloaded_error', () => {
    const request = sampleClaudeCodeRequest({ prompt: 'FAIL_529' });
    const expected = { kind: 'error', status: 529, errorType: 'overloaded_error' };
    expect(reply(request)).toMatchObject(expected);
    expect(reply(request, { requestIndex: 1, previousRequests: [request] })).toMatchObject(
      expected,
    );
  });

  it('fails FAIL_529_ONCE only for the first request carrying that prompt', () => {
    const request = sampleClaudeCodeRequest({ prompt: 'FAIL_529_ONCE' });
    const other = sampleClaudeCodeRequest({ prompt: 'something else' });
    expect(reply(request, { requestIndex: 1, previousRequests: [other] })).toMatchObject({
      kind: 'error',
      status: 529,
    });
    expect(reply(request, { requestIndex: 2, previousRequests: [other, request] })).toMatchObject({
      kind: 'message',
      blocks: [{ type: 'text', text: 'Fake model reply to: FAIL_529_ONCE' }],
    });
  });

  it('wraps the normal reply as the non-streaming fallback of a broken stream', () => {
    const request = sampleClaudeCodeRequest({ prompt: 'BROKEN_STREAM\nRUN_BASH echo ok' });
    expect(reply(request)).toMatchObject({
      kind: 'broken-stream',
      fallback: { kind: 'message', blocks: [{ name: 'Bash', input: { command: 'echo ok' } }] },
    });
  });

  it('answers title generation with {"title": …} and ignores markers inside the session text', () => {
    const result = reply(sampleTitleRequest('FAIL_529 fix the login page please right now'));
    expect(result.kind).toBe('message');
    if (result.kind !== 'message') return;
    const block = result.blocks[0];
    expect(block?.type).toBe('text');
    if (block?.type !== 'text') return;
    expect(JSON.parse(block.text)).toEqual({ title: 'FAIL_529 fix the login page please' });
  });
});
