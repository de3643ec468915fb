/**
 * Agent settings from the session spec reach the REAL Claude Code: a tool outside the allowed list
 * is refused in `default` mode, `bypassPermissions` runs as root (the runner marks the workspace as
 * the sandbox), and `maxTurns` ends a run early.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT, EventType, RUNNER_EXIT } from '@ambient/contracts';
import { RunnerHarness } from './runner-harness.ts';

const TEST_TIMEOUT_MS = 30_000;

describe('agent settings with real Claude Code', () => {
  let harness: RunnerHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('refuses a tool that is not allowed in default mode', async () => {
    harness = await RunnerHarness.start();
    const target = join(harness.workspaceDir, 'artifacts', 'refused.txt');
    const runner = harness.spawnRunner({
      interactive: false,
      initialPrompt: `RUN_BASH echo no > ${target}`,
      agentSettings: { permissionMode: 'default', allowedTools: ['Read'] },
    });
    expect((await runner.exited).code).toBe(RUNNER_EXIT.success);
    expect(existsSync(target)).toBe(false);
    const result = harness.channel.eventList().find((event) => event.type === EventType.TOOL_CALL_RESULT);
    expect(result?.['metadata']).toMatchObject({ isError: true });
  }, TEST_TIMEOUT_MS);

  it('runs with bypassPermissions as root', async () => {
    harness = await RunnerHarness.start();
    const target = join(harness.workspaceDir, 'artifacts', 'bypass.txt');
    const runner = harness.spawnRunner({
      interactive: false,
      initialPrompt: `RUN_BASH echo yes > ${target}`,
      agentSettings: { permissionMode: 'bypassPermissions', allowedTools: [] },
    });
    expect((await runner.exited).code).toBe(RUNNER_EXIT.success);
    expect(readFileSync(target, 'utf8').trim()).toBe('yes');
  }, TEST_TIMEOUT_MS);

  it('ends a run at maxTurns', async () => {
    harness = await RunnerHarness.start();
    const first = join(harness.workspaceDir, 'artifacts', 'one.txt');
    const second = join(harness.workspaceDir, 'artifacts', 'two.txt');
    const runner = harness.spawnRunner({
      interactive: false,
      initialPrompt: `WRITE_FILE ${first} 1\nWRITE_FILE ${second} 2`,
      agentSettings: { maxTurns: 1 },
    });
    await runner.exited;
    expect(existsSync(first)).toBe(true);
    expect(existsSync(second)).toBe(false);
    const results = harness.eventsOf(EventType.CUSTOM, CUSTOM_EVENT.runResult);
    expect(JSON.stringify(results)).toContain('max_turns');
  }, TEST_TIMEOUT_MS);
});
