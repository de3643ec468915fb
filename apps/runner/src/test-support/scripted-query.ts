/**
 * A stand-in for the SDK's `query()` that replays RECORDED message sequences (the agent-driver
 * fixtures), one scripted turn per user message pulled from the prompt stream, with the SDK's
 * observable behaviours: `interrupt()` cuts the turn short to its result, the iterator throws at the
 * end when the last result was an error, and a turn can end in a crash (the CLI exiting).
 */
import { readFileSync } from 'node:fs';
import type { Options, Query, SDKMessage, SDKUserMessage } from '@anthropic-ai/claude-agent-sdk';
import type { QueryFunction } from '../session-driver.ts';

export interface ScriptedTurn {
  messages: SDKMessage[];
  /** After the messages, the query throws this (the CLI died mid-turn). */
  crash?: string;
}

export interface ScriptedQueryCall {
  options: Options;
  prompts: string[];
}

const FIXTURE_DIRECTORY = new URL(
  '../../../../packages/agent-driver/src/__fixtures__/',
  import.meta.url,
);

/** The recorded messages of a fixture, split into turns at each `result`. */
export function fixtureTurns(name: string): ScriptedTurn[] {
  const fixture = JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURE_DIRECTORY), 'utf8')) as {
    messages: SDKMessage[];
  };
  const turns: ScriptedTurn[] = [{ messages: [] }];
  for (const message of fixture.messages) {
    turns.at(-1)!.messages.push(message);
    if (message.type === 'result') turns.push({ messages: [] });
  }
  return turns.filter((turn) => turn.messages.length > 0);
}

export function scriptedQuery(
  turns: ScriptedTurn[],
  /** Pause before each message, so a test can act in the middle of a turn. */
  messageDelayMs = 0,
): { query: QueryFunction; calls: ScriptedQueryCall[] } {
  const remaining = [...turns];
  const calls: ScriptedQueryCall[] = [];
  const query: QueryFunction = ({ prompt, options }) => {
    const call: ScriptedQueryCall = { options, prompts: [] };
    calls.push(call);
    let interrupted = false;
    let closeQuery: () => void = () => undefined;
    const closed = new Promise<'closed'>((resolve) => (closeQuery = () => resolve('closed')));
    const input = prompt[Symbol.asyncIterator]();

    async function* run(): AsyncGenerator<SDKMessage, void> {
      let lastErrorResult: string | undefined;
      for (;;) {
        const next: IteratorResult<SDKUserMessage> | 'closed' = await Promise.race([
          input.next(),
          closed,
        ]);
        if (next === 'closed' || next.done) break;
        call.prompts.push(String(next.value.message.content));
        const turn = remaining.shift();
        if (!turn) throw new Error('scripted query: no turn left for this prompt');
        interrupted = false;
        for (const message of turn.messages) {
          // Let commands interleave, as they do with the real CLI.
          await new Promise((resolve) =>
            messageDelayMs ? setTimeout(resolve, messageDelayMs) : setImmediate(resolve),
          );
          if (interrupted && message.type !== 'result') continue;
          if (message.type === 'result')
            lastErrorResult = message.is_error ? message.subtype : undefined;
          yield message;
        }
        if (turn.crash) throw new Error(turn.crash);
      }
      if (lastErrorResult)
        throw new Error(`Claude Code returned an error result: ${lastErrorResult}`);
    }

    const generator = run();
    const controls = {
      interrupt: async () => {
        interrupted = true;
        return undefined;
      },
      close: () => closeQuery(),
    };
    return Object.assign(generator, controls) as unknown as Query;
  };
  return { query, calls };
}
