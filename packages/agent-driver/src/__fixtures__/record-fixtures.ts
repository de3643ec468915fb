/**
 * Records REAL SDK message sequences for the mapper's table tests: real Claude Code (the CLI in
 * @anthropic-ai/claude-agent-sdk) against the project's fake Anthropic API, with the runner's options.
 *
 *   npx tsx packages/agent-driver/src/__fixtures__/record-fixtures.ts [scenario…]
 *
 * Claude Code runs in a fixed directory (recreated per scenario), so paths in fixtures are stable.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { query } from '@anthropic-ai/claude-agent-sdk';
import type { SDKMessage, SDKUserMessage } from '@anthropic-ai/claude-agent-sdk';
import {
  createDefaultPlan,
  isTitleRequest,
  promptText,
  startFakeModel,
  textReply,
  toolResultsSincePrompt,
  toolUseReply,
} from '@ambient/fake-model';
import type { PlanFunction } from '@ambient/fake-model';

interface Scenario {
  name: string;
  description: string;
  /** `$CWD` is replaced by the working directory. */
  prompts: string[];
  /** Interrupt the first turn after this many streamed text deltas. */
  interruptAfterTextDeltas?: number;
  plan?: PlanFunction;
  env?: Record<string, string>;
}

const FIXTURE_DIR = fileURLToPath(new URL('.', import.meta.url));
const FIXTURE_WORKSPACE = '/tmp/ambient-fixture-workspace';

/** Main agent delegates to a sub-agent through the Task tool; the sub-agent answers in text. */
const subagentPlan: PlanFunction = (request, context) => {
  const prompt = promptText(request);
  if (isTitleRequest(request)) return textReply('{"title":"Delegation"}');
  if (prompt.includes('SUBAGENT_TASK'))
    return textReply('Sub-agent report: the workspace is empty.');
  if (prompt.includes('DELEGATE')) {
    if (toolResultsSincePrompt(request).length > 0) return textReply('Delegation finished.');
    return toolUseReply('Task', {
      description: 'Inspect workspace',
      prompt: 'SUBAGENT_TASK look at the workspace and report',
      subagent_type: 'general-purpose',
    });
  }
  return createDefaultPlan()(request, context);
};

const SCENARIOS: Scenario[] = [
  { name: 'text-reply', description: 'plain text answer', prompts: ['Say hello'] },
  {
    name: 'write-file',
    description: 'Write tool call, tool result, final text',
    prompts: ['WRITE_FILE $CWD/hello.txt hello world'],
  },
  { name: 'bash', description: 'Bash tool call', prompts: ['RUN_BASH echo bash-ok'] },
  {
    name: 'two-turns',
    description: 'streaming input, two user turns',
    prompts: ['First question', 'Second question'],
  },
  {
    name: 'interrupt',
    description: 'interrupt during a slow streamed answer, then a follow-up turn',
    prompts: ['SLOW_TEXT 40', 'After the interrupt'],
    interruptAfterTextDeltas: 3,
  },
  {
    name: 'api-error',
    description: '529 on every request: api_retry, synthetic error message, error result',
    prompts: ['FAIL_529 please'],
    env: { CLAUDE_CODE_MAX_RETRIES: '1' },
  },
  {
    name: 'subagent',
    description: 'Task tool delegating to a sub-agent',
    prompts: ['DELEGATE the inspection'],
    plan: subagentPlan,
  },
];

async function record(scenario: Scenario): Promise<void> {
  const model = await startFakeModel(scenario.plan ? { plan: scenario.plan } : {});
  const cwd = FIXTURE_WORKSPACE;
  rmSync(cwd, { recursive: true, force: true });
  mkdirSync(cwd, { recursive: true });
  const messages: SDKMessage[] = [];
  let resolveTurn: (() => void) | undefined;
  async function* prompts(): AsyncGenerator<SDKUserMessage> {
    for (const text of scenario.prompts) {
      const turnDone = new Promise<void>((resolve) => (resolveTurn = resolve));
      yield {
        type: 'user',
        message: { role: 'user', content: text.replaceAll('$CWD', cwd) },
        parent_tool_use_id: null,
        session_id: '',
      };
      await turnDone;
    }
  }
  const run = query({
    prompt: prompts(),
    options: {
      cwd,
      permissionMode: 'acceptEdits',
      allowedTools: ['Read', 'Write', 'Edit', 'Bash', 'Glob', 'Grep', 'WebFetch'],
      includePartialMessages: true,
      forwardSubagentText: true,
      settingSources: [],
      env: {
        PATH: process.env['PATH'],
        HOME: cwd,
        CLAUDE_CONFIG_DIR: join(cwd, '.claude'),
        ANTHROPIC_BASE_URL: model.url,
        ANTHROPIC_API_KEY: 'fixture-key',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_ERROR_REPORTING: '1',
        ...scenario.env,
      },
    },
  });
  let textDeltas = 0;
  let interrupted = false;
  try {
    for await (const message of run) {
      messages.push(message);
      if (
        scenario.interruptAfterTextDeltas !== undefined &&
        !interrupted &&
        message.type === 'stream_event' &&
        message.event.type === 'content_block_delta' &&
        ++textDeltas >= scenario.interruptAfterTextDeltas
      ) {
        interrupted = true;
        await run.interrupt();
      }
      if (message.type === 'result') resolveTurn?.();
    }
  } catch (error) {
    // Expected after an error result: the SDK throws once the CLI exits.
    console.log(`${scenario.name}: iterator threw: ${(error as Error).message.slice(0, 120)}`);
  }
  await model.close();
  const text = JSON.stringify(
    {
      scenario: scenario.name,
      description: scenario.description,
      prompts: scenario.prompts,
      messages,
    },
    null,
    1,
  );
  writeFileSync(join(FIXTURE_DIR, `${scenario.name}.json`), text + '\n');
  rmSync(cwd, { recursive: true, force: true });
  console.log(`${scenario.name}: ${messages.length} messages`);
}

const wanted = process.argv.slice(2);
for (const scenario of SCENARIOS) {
  if (wanted.length === 0 || wanted.includes(scenario.name)) await record(scenario);
}
