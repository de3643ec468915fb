/**
 * The REAL runner process (node --import tsx apps/runner/src/main.ts) with REAL Claude Code,
 * against the in-test channel server and the project's fake Anthropic API.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT, EventType, RUNNER_ENV, RUNNER_EXIT } from '@ambient/contracts';
import type { AgUiEvent } from '@ambient/contracts';
import { MODEL_API_KEY, RUNNER_TOKEN, RunnerHarness } from './runner-harness.ts';

const TEST_TIMEOUT_MS = 30_000;

const runEnds = (events: AgUiEvent[]) =>
  events.filter(
    (event) => event.type === EventType.RUN_FINISHED || event.type === EventType.RUN_ERROR,
  );
const types = (events: AgUiEvent[]) => new Set(events.map((event) => event.type));

describe('runner process with real Claude Code', () => {
  let harness: RunnerHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it(
    'non-interactive: writes a file with the Write tool, streams the run and exits 0',
    async () => {
      harness = await RunnerHarness.start();
      const target = join(harness.workspaceDir, 'artifacts', 'hello.txt');
      const runner = harness.spawnRunner({
        interactive: false,
        initialPrompt: `WRITE_FILE ${target} hello from the runner`,
      });

      expect(await runner.exited).toEqual({ code: RUNNER_EXIT.success, signal: null });
      expect(readFileSync(target, 'utf8')).toBe('hello from the runner');
      const events = harness.channel.eventList();
      for (const type of [
        EventType.RUN_STARTED,
        EventType.TOOL_CALL_START,
        EventType.TOOL_CALL_RESULT,
        EventType.TEXT_MESSAGE_START,
        EventType.TEXT_MESSAGE_CONTENT,
        EventType.TEXT_MESSAGE_END,
        EventType.RUN_FINISHED,
      ]) {
        expect(types(events)).toContain(type);
      }
      expect(events.find((event) => event.type === EventType.TOOL_CALL_START)).toMatchObject({
        toolCallName: 'Write',
      });
      expect(harness.eventsOf(EventType.CUSTOM, CUSTOM_EVENT.runResult)).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({
        type: EventType.RUN_FINISHED,
        outcome: { type: 'success' },
      });
      expect(harness.channel.gaps()).toEqual([]);
      expect(harness.channel.duplicateCount).toBe(0);
      // Transcripts live on the workspace volume (resume needs them there).
      expect(existsSync(join(harness.workspaceDir, '.claude', 'projects'))).toBe(true);
      expect(runner.stderr()).not.toContain(RUNNER_TOKEN);
      expect(runner.stderr()).not.toContain(MODEL_API_KEY);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'non-interactive: a failed run (529 on every attempt) is RUN_ERROR and exit 1',
    async () => {
      harness = await RunnerHarness.start();
      const runner = harness.spawnRunner(
        { interactive: false, initialPrompt: 'FAIL_529 please' },
        { CLAUDE_CODE_MAX_RETRIES: '1' },
      );
      expect(await runner.exited).toEqual({ code: RUNNER_EXIT.crash, signal: null });
      expect(harness.eventsOf(EventType.CUSTOM, CUSTOM_EVENT.apiRetry)[0]).toMatchObject({
        value: { attempt: 1, maxRetries: 1, errorStatus: 529 },
      });
      const error = harness.channel.eventList().at(-1)!;
      expect(error).toMatchObject({ type: EventType.RUN_ERROR });
      expect(String(error['message'])).toContain('529');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'interactive: a user_message command is a second run; stop exits 3',
    async () => {
      harness = await RunnerHarness.start();
      const runner = harness.spawnRunner({ interactive: true, initialPrompt: 'Say hello' });
      await harness.waitForEvents((events) => runEnds(events).length === 1, 'the first run');

      harness.channel.pushCommand({
        kind: 'user_message',
        messageId: 'msg-second',
        text: 'RUN_BASH echo second-turn',
      });
      await harness.waitForEvents((events) => runEnds(events).length === 2, 'the second run');
      harness.channel.pushCommand({ kind: 'stop', reason: 'user' });

      expect(await runner.exited).toEqual({ code: RUNNER_EXIT.stopped, signal: null });
      const events = harness.channel.eventList();
      expect(runEnds(events).map((event) => event.type)).toEqual([
        EventType.RUN_FINISHED,
        EventType.RUN_FINISHED,
      ]);
      expect(events.find((event) => event['messageId'] === 'msg-second')).toMatchObject({
        role: 'user',
      });
      expect(events.find((event) => event['toolCallName'] === 'Bash')).toBeDefined();
      const result = events.find((event) => event.type === EventType.TOOL_CALL_RESULT)!;
      expect(String(result['content'])).toContain('second-turn');
      expect(harness.channel.lastCommandCursor).toBe(2);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'interrupt during a slow streamed answer cancels the run; a follow-up still works',
    async () => {
      harness = await RunnerHarness.start();
      const runner = harness.spawnRunner({ interactive: true, initialPrompt: 'SLOW_TEXT 200' });
      await harness.waitForEvents(
        (events) =>
          events.filter((event) => event.type === EventType.TEXT_MESSAGE_CONTENT).length >= 4,
        'streamed words',
      );
      harness.channel.pushCommand({ kind: 'interrupt' });
      await harness.waitForEvents(
        (events) => runEnds(events).length === 1,
        'the interrupted run',
        10_000,
      );
      expect(runEnds(harness.channel.eventList())[0]).toMatchObject({
        type: EventType.RUN_FINISHED,
        outcome: { type: 'cancelled' },
        result: { subtype: 'error_during_execution' },
      });

      harness.channel.pushCommand({
        kind: 'user_message',
        messageId: 'msg-follow-up',
        text: 'Are you still there?',
      });
      await harness.waitForEvents((events) => runEnds(events).length === 2, 'the follow-up run');
      expect(runEnds(harness.channel.eventList())[1]).toMatchObject({
        type: EventType.RUN_FINISHED,
        outcome: { type: 'success' },
      });

      runner.child.kill('SIGTERM'); // SIGTERM behaves like stop
      expect(await runner.exited).toEqual({ code: RUNNER_EXIT.stopped, signal: null });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'kill -9 mid-session, restart with the sdk session id: history resumes, producerSeq has no gap or duplicate',
    async () => {
      harness = await RunnerHarness.start();
      const first = harness.spawnRunner({
        interactive: true,
        initialPrompt: 'Remember the code word PINEAPPLE',
      });
      await harness.waitForEvents((events) => runEnds(events).length === 1, 'the first run');
      harness.channel.pushCommand({
        kind: 'user_message',
        messageId: 'msg-slow',
        text: 'SLOW_TEXT 200',
      });
      await harness.waitForEvents(
        (events) =>
          events.filter((event) => event.type === EventType.TEXT_MESSAGE_CONTENT).length >= 8,
        'the slow answer streaming',
      );
      const claudePids = childPids(first.child.pid!);
      expect(claudePids.length).toBeGreaterThan(0);
      first.child.kill('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
      // The CLI dies with its runner; it must not finish its turn beside the resumed one.
      await harness.channel.waitFor(
        () => claudePids.every((pid) => !isAlive(pid)),
        3_000,
        'the orphaned CLI to die',
      );
      const sdkSessionId = harness.sdkSessionId();
      expect(sdkSessionId).toBeDefined();

      const requestsBefore = harness.model.requests.length;
      const second = harness.spawnRunner(
        { interactive: true, initialPrompt: 'Remember the code word PINEAPPLE' },
        { [RUNNER_ENV.resumeSdkSessionId]: sdkSessionId! },
      );
      harness.channel.pushCommand({
        kind: 'user_message',
        messageId: 'msg-recall',
        text: 'What was the code word?',
      });
      await harness.waitForEvents(
        (events) =>
          events.some(
            (event) =>
              event.type === EventType.RUN_FINISHED && runIsFor(events, event, 'msg-recall'),
          ),
        'the resumed run',
      );

      // The model saw the earlier conversation (prompt and reply) in the resumed session's request,
      // and the initial prompt was not sent again as a new one.
      const resumed = harness.model.requests
        .slice(requestsBefore)
        .map((request) => request.body as ModelRequest);
      const history = resumed.at(-1)!.messages;
      const texts = (role: string) =>
        history
          .filter((message) => message.role === role)
          .map((message) => JSON.stringify(message.content));
      expect(
        texts('user').filter((text) => text.includes('Remember the code word PINEAPPLE')),
      ).toHaveLength(1);
      expect(
        texts('assistant').some((text) =>
          text.includes('Fake model reply to: Remember the code word PINEAPPLE'),
        ),
      ).toBe(true);
      expect(texts('user').at(-1)).toContain('What was the code word?');
      // The killed run was closed by the new runner, and every run started has ended.
      const events = harness.channel.eventList();
      expect(events.find((event) => event['code'] === 'RunnerRestarted')).toBeDefined();
      expect(events.filter((event) => event.type === EventType.RUN_STARTED)).toHaveLength(
        runEnds(events).length,
      );
      expect(harness.channel.gaps()).toEqual([]);
      expect(harness.channel.duplicateCount).toBe(0);
      expect(harness.sdkSessionId()).toBe(sdkSessionId);

      harness.channel.pushCommand({ kind: 'stop' });
      expect(await second.exited).toEqual({ code: RUNNER_EXIT.stopped, signal: null });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'missing ANTHROPIC_API_KEY: reports RUN_ERROR over the channel and exits 2',
    async () => {
      harness = await RunnerHarness.start();
      const runner = harness.spawnRunner(
        { interactive: false, initialPrompt: 'hi' },
        { ANTHROPIC_API_KEY: '' },
      );
      expect(await runner.exited).toEqual({ code: RUNNER_EXIT.prerequisiteFailed, signal: null });
      expect(runner.stderr()).toContain('ANTHROPIC_API_KEY is not set');
      expect(harness.eventsOf(EventType.RUN_ERROR)[0]).toMatchObject({
        code: 'PrerequisiteFailed',
      });
    },
    TEST_TIMEOUT_MS,
  );
});

interface ModelRequest {
  messages: { role: string; content: unknown }[];
}

function childPids(parentPid: number): number[] {
  const output = execFileSync('ps', ['-o', 'pid=', '--ppid', String(parentPid)], {
    encoding: 'utf8',
  });
  return output
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when `end` closes the run whose user message has `messageId`. */
function runIsFor(events: AgUiEvent[], end: AgUiEvent, messageId: string): boolean {
  const start = events.findLast(
    (event) => event.type === EventType.RUN_STARTED && event['runId'] === end['runId'],
  );
  if (!start) return false;
  const startIndex = events.indexOf(start);
  return events[startIndex + 1]?.['messageId'] === messageId;
}
