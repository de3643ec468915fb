/**
 * The fake against the REAL Claude Code CLI: the happy paths. These prove the fake is faithful,
 * because the CLI parses every byte we send and acts on it (files appear, commands run).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CLAUDE_TEST_TIMEOUT_MS as timeout,
  resultOf,
  toolResultTexts,
  trace,
  useClaudeHarness,
} from './claude-code-harness.ts';

const claude = useClaudeHarness();

describe('real Claude Code against the fake model', () => {
  it('writes a file through the Write tool', { timeout }, async () => {
    const run = await claude.run('WRITE_FILE hello.txt hello from fake model\\n', claude.options());

    expect(run.thrown).toBeUndefined();
    expect(await readFile(join(claude.workDir, 'hello.txt'), 'utf8')).toBe(
      'hello from fake model\n',
    );
    expect(trace(run.messages)).toEqual([
      'system:init',
      'assistant:tool_use(Write)',
      'user:tool_result',
      'assistant:text',
      'result:success',
    ]);
    const result = resultOf(run.messages);
    expect(result).toMatchObject({
      subtype: 'success',
      is_error: false,
      num_turns: 2,
      result: 'Done.',
    });
    // Claude Code prices the usage the fake reports, so a cost shows up.
    expect(result.total_cost_usd).toBeGreaterThan(0);
    // One POST per turn, nothing else, and the second turn carried the tool result back.
    expect(
      claude.fake.requests.map((request) => `${request.method} ${request.path}?${request.query}`),
    ).toEqual(['POST /v1/messages?beta=true', 'POST /v1/messages?beta=true']);
    expect(JSON.stringify(claude.messageBodies()[1]?.messages)).toContain(
      'File created successfully',
    );
  });

  it('runs a command through the Bash tool', { timeout }, async () => {
    const run = await claude.run('RUN_BASH echo bash-ok | tee bash.txt', claude.options());

    expect(run.thrown).toBeUndefined();
    expect(await readFile(join(claude.workDir, 'bash.txt'), 'utf8')).toBe('bash-ok\n');
    expect(toolResultTexts(run.messages)).toEqual([expect.stringContaining('bash-ok')]);
    expect(resultOf(run.messages)).toMatchObject({ subtype: 'success', is_error: false });
  });

  it('runs several markers as consecutive tool calls', { timeout }, async () => {
    const prompt =
      'WRITE_FILE notes/step.txt step one\\n\nRUN_BASH cat notes/step.txt && echo step two';
    const run = await claude.run(prompt, claude.options());

    expect(trace(run.messages)).toEqual([
      'system:init',
      'assistant:tool_use(Write)',
      'user:tool_result',
      'assistant:tool_use(Bash)',
      'user:tool_result',
      'assistant:text',
      'result:success',
    ]);
    expect(toolResultTexts(run.messages)[1]).toContain('step one\nstep two');
  });

  it('sends the earlier history when a session is resumed', { timeout }, async () => {
    const first = await claude.run('WRITE_FILE first.txt one', claude.options());
    const sessionId = resultOf(first.messages).session_id;
    const second = await claude.run('second prompt', claude.options({}, { resume: sessionId }));

    expect(second.messages[0]).toMatchObject({
      type: 'system',
      subtype: 'init',
      session_id: sessionId,
    });
    expect(resultOf(second.messages)).toMatchObject({
      subtype: 'success',
      result: 'Fake model reply to: second prompt',
    });
    const lastBody = JSON.stringify(claude.messageBodies().at(-1)?.messages);
    expect(lastBody).toContain('WRITE_FILE first.txt one');
    expect(lastBody).toContain('"name":"Write"');
    expect(lastBody).toContain('second prompt');
  });
});
