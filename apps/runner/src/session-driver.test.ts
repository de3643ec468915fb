/**
 * The session driver's run lifecycle over recorded Claude Code sessions (scripted query); the
 * same scenarios run against the real CLI in apps/runner/test.
 */
import { describe, expect, it } from 'vitest';
import { CUSTOM_EVENT, EventType } from '@ambient/contracts';
import type { AgUiEvent } from '@ambient/contracts';
import { silentLogger } from './log.ts';
import { SessionDriver } from './session-driver.ts';
import type { SessionDriverOptions } from './session-driver.ts';
import { fixtureTurns, scriptedQuery } from './test-support/scripted-query.ts';
import type { ScriptedTurn } from './test-support/scripted-query.ts';

function startDriver(
  turns: ScriptedTurn[],
  options: Partial<SessionDriverOptions> = {},
  messageDelayMs = 0,
) {
  const events: AgUiEvent[] = [];
  const script = scriptedQuery(turns, messageDelayMs);
  const driver = new SessionDriver({
    threadId: 'session-1',
    interactive: true,
    initialPrompt: 'first prompt',
    queryOptions: (resume) => (resume ? { resume } : {}),
    emit: (event) => events.push(event),
    log: silentLogger,
    query: script.query,
    stopGraceMs: 1_000,
    ...options,
  });
  const outcome = driver.run();
  return { driver, events, calls: script.calls, outcome };
}

const runEnds = (events: AgUiEvent[]) =>
  events
    .filter((event) => event.type === EventType.RUN_FINISHED || event.type === EventType.RUN_ERROR)
    .map((event) =>
      event.type === EventType.RUN_ERROR ? 'error' : (event['outcome'] as { type: string }).type,
    );

async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 500 && !condition(); attempt += 1)
    await new Promise((resolve) => setTimeout(resolve, 2));
  expect(condition()).toBe(true);
}

describe('SessionDriver', () => {
  it('makes every user message one run: start, user echo, mapped events, finish', async () => {
    const { driver, events, calls, outcome } = startDriver(fixtureTurns('two-turns'));
    driver.enqueue({ messageId: 'msg-2', text: 'second prompt' });
    await until(() => runEnds(events).length === 2);
    driver.stop('test');
    expect(await outcome).toEqual({ kind: 'stopped' });

    expect(calls[0]!.prompts).toEqual(['first prompt', 'second prompt']);
    const starts = events.filter((event) => event.type === EventType.RUN_STARTED);
    expect(starts).toHaveLength(2);
    const firstRun = events.slice(0, events.indexOf(starts[1]!));
    expect(firstRun.slice(0, 4).map((event) => event.type)).toEqual([
      EventType.RUN_STARTED,
      EventType.TEXT_MESSAGE_START,
      EventType.TEXT_MESSAGE_CONTENT,
      EventType.TEXT_MESSAGE_END,
    ]);
    expect(firstRun[1]).toMatchObject({ role: 'user' });
    expect(firstRun[2]).toMatchObject({ delta: 'first prompt' });
    expect(firstRun.at(-1)).toMatchObject({
      type: EventType.RUN_FINISHED,
      threadId: 'session-1',
      runId: starts[0]!['runId'],
      outcome: { type: 'success' },
      result: { subtype: 'success', isError: false },
    });
    expect(firstRun.at(-2)).toMatchObject({ type: EventType.STATE_DELTA });
    expect(events.find((event) => event['messageId'] === 'msg-2')).toMatchObject({ role: 'user' });
  });

  it('non-interactive: runs the initial prompt once, ends the input and reports success', async () => {
    const { events, calls, outcome } = startDriver(fixtureTurns('write-file'), {
      interactive: false,
    });
    expect(await outcome).toEqual({ kind: 'finished', failed: false, interrupted: false });
    expect(calls).toHaveLength(1);
    expect(runEnds(events)).toEqual(['success']);
  });

  it('non-interactive: an error result is RUN_ERROR and a failed outcome, not a crash', async () => {
    const { events, outcome } = startDriver(fixtureTurns('api-error'), { interactive: false });
    expect(await outcome).toEqual({ kind: 'finished', failed: true, interrupted: false });
    const error = events.find((event) => event.type === EventType.RUN_ERROR)!;
    expect(String(error['message'])).toContain('529');
    expect(events.some((event) => event['name'] === CUSTOM_EVENT.runResult)).toBe(true);
  });

  it('interrupt ends the turn as cancelled and the next message still runs', async () => {
    const [slow, followUp] = fixtureTurns('interrupt');
    const { driver, events, outcome } = startDriver([slow!, followUp!], {}, 5);
    await until(() =>
      events.some(
        (event) => event.type === EventType.TEXT_MESSAGE_START && event['role'] === 'assistant',
      ),
    );
    await driver.interrupt();
    driver.enqueue({ messageId: 'msg-2', text: 'after the interrupt' });
    await until(() => runEnds(events).length === 2);
    expect(runEnds(events)).toEqual(['cancelled', 'success']);
    const cancelled = events.find((event) => event.type === EventType.RUN_FINISHED)!;
    expect(cancelled['result']).toMatchObject({ subtype: 'error_during_execution', isError: true });
    driver.stop('test');
    await outcome;
  });

  it('stop during a turn interrupts it: the run ends cancelled, queued messages are dropped', async () => {
    const [slow] = fixtureTurns('interrupt');
    const { driver, events, calls, outcome } = startDriver([slow!], {}, 5);
    await until(() =>
      events.some(
        (event) => event.type === EventType.TEXT_MESSAGE_START && event['role'] === 'assistant',
      ),
    );
    driver.enqueue({ messageId: 'queued', text: 'never runs' });
    driver.stop('test');
    expect(await outcome).toEqual({ kind: 'stopped' });
    expect(runEnds(events)).toEqual(['cancelled']);
    expect(calls[0]!.prompts).toEqual(['first prompt']);
  });

  it('the same error_during_execution without an interrupt is a RUN_ERROR', async () => {
    const [slow] = fixtureTurns('interrupt');
    const { events, outcome } = startDriver([slow!], { interactive: false });
    expect(await outcome).toMatchObject({ kind: 'finished', failed: true });
    expect(runEnds(events)).toEqual(['error']);
  });

  it('a CLI crash fails the run, then a new query resumes the same conversation', async () => {
    const [first, second] = fixtureTurns('two-turns');
    const init = first!.messages.filter((message) => message.type === 'system');
    const { driver, events, calls, outcome } = startDriver([
      { messages: init, crash: 'Claude Code process exited with code 1' },
      second!,
    ]);
    await until(() => runEnds(events).length === 1);
    driver.enqueue({ messageId: 'msg-2', text: 'still there?' });
    await until(() => runEnds(events).length === 2);
    expect(runEnds(events)).toEqual(['error', 'success']);
    expect(events.find((event) => event.type === EventType.RUN_ERROR)).toMatchObject({
      code: 'claude_code_exited',
    });
    const sdkSessionId = init.find((message) => message.type === 'system')!.session_id;
    expect(calls.map((call) => call.options.resume)).toEqual([undefined, sdkSessionId]);
    driver.stop('test');
    expect(await outcome).toEqual({ kind: 'stopped' });
  });

  it('gives up after repeated crashes without any result', async () => {
    const crash = { messages: [], crash: 'Claude Code process exited with code 1' };
    const { driver, outcome } = startDriver([crash, crash, crash], { maxConsecutiveFailures: 2 });
    driver.enqueue({ messageId: 'again', text: 'again' });
    expect(await outcome).toMatchObject({
      kind: 'crashed',
      message: 'Claude Code process exited with code 1',
    });
  });

  it('a turn Claude Code starts by itself (background sub-agent report) becomes its own run', async () => {
    const messages = fixtureTurns('subagent').flatMap((turn) => turn.messages);
    const { driver, events, outcome } = startDriver([{ messages }]);
    await until(() => runEnds(events).length === 2);
    const starts = events.filter((event) => event.type === EventType.RUN_STARTED);
    expect(starts[1]).toMatchObject({ metadata: { initiatedBy: 'agent' } });
    expect(events.filter((event) => event.type === EventType.SUBAGENT_FINISHED)).toHaveLength(1);
    driver.stop('test');
    await outcome;
  });

  it('non-interactive and resumed (started again): runs the initial prompt again in that conversation', async () => {
    const { events, calls, outcome } = startDriver(fixtureTurns('text-reply'), {
      interactive: false,
      resumeSdkSessionId: 'sdk-1',
    });
    expect(await outcome).toMatchObject({ kind: 'finished', failed: false });
    expect(calls[0]!.options.resume).toBe('sdk-1');
    expect(calls[0]!.prompts).toEqual(['first prompt']);
    const userMessage = events.find((event) => event.type === EventType.TEXT_MESSAGE_START && event['role'] === 'user');
    // Not the first run's message id: the history shows two prompts, not one prompt twice.
    expect(userMessage?.['messageId']).toMatch(/^user-initial-prompt-./);
  });

  it('resuming skips the initial prompt and waits for a user message', async () => {
    const { driver, events, calls, outcome } = startDriver(fixtureTurns('text-reply'), {
      resumeSdkSessionId: 'sdk-1',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual([]);
    driver.enqueue({ messageId: 'msg-1', text: 'continue' });
    await until(() => runEnds(events).length === 1);
    expect(calls[0]!.options.resume).toBe('sdk-1');
    expect(calls[0]!.prompts).toEqual(['continue']);
    driver.stop('test');
    await outcome;
  });
});
