/**
 * Test support: runs the REAL Claude Code CLI (the binary shipped with
 * @anthropic-ai/claude-agent-sdk) through `query()` against a fresh fake, with the isolation recipe
 * from environment-facts.md Q1. Not exported from the package: only this package's tests use it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  query,
  type Options,
  type SDKMessage,
  type SDKResultMessage,
  type SDKUserMessage,
} from '@anthropic-ai/claude-agent-sdk';
import { afterEach, beforeEach } from 'vitest';
import { startFakeModel } from './server.ts';
import type { FakeModel, MessagesRequest } from './types.ts';

export const CLAUDE_TEST_TIMEOUT_MS = 20_000;

export interface ClaudeRun {
  messages: SDKMessage[];
  /** The SDK iterator throws after an error result; tests assert on what came before. */
  thrown?: unknown;
}

export interface ClaudeHarness {
  readonly fake: FakeModel;
  /** The session's cwd, a fresh temp dir per test. */
  readonly workDir: string;
  options(extraEnv?: Record<string, string>, extra?: Partial<Options>): Options;
  run(prompt: string | AsyncIterable<SDKUserMessage>, options: Options): Promise<ClaudeRun>;
  /** Bodies of the `POST /v1/messages` requests the fake received, in order. */
  messageBodies(): MessagesRequest[];
}

/** Registers beforeEach/afterEach hooks; the returned object is valid inside tests. */
export function useClaudeHarness(): ClaudeHarness {
  let fake: FakeModel | undefined;
  let homeDir = '';
  let workDir = '';

  beforeEach(async () => {
    fake = await startFakeModel();
    homeDir = await mkdtemp(join(tmpdir(), 'fake-model-home-'));
    workDir = await mkdtemp(join(tmpdir(), 'fake-model-work-'));
  });
  afterEach(async () => {
    await fake?.close();
    await rm(homeDir, { recursive: true, force: true });
    await rm(workDir, { recursive: true, force: true });
  });

  const current = (): FakeModel => {
    if (!fake) throw new Error('the harness is only usable inside a test');
    return fake;
  };

  return {
    get fake() {
      return current();
    },
    get workDir() {
      return workDir;
    },
    options(extraEnv = {}, extra = {}) {
      return {
        cwd: workDir,
        // acceptEdits + allowedTools works as root; allowDangerouslySkipPermissions makes it exit.
        permissionMode: 'acceptEdits',
        allowedTools: ['Bash', 'Write'],
        settingSources: [],
        env: {
          PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
          HOME: homeDir,
          CLAUDE_CONFIG_DIR: join(homeDir, '.claude'),
          ANTHROPIC_BASE_URL: current().url,
          ANTHROPIC_API_KEY: 'dummy',
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          DISABLE_AUTOUPDATER: '1',
          DISABLE_TELEMETRY: '1',
          DISABLE_ERROR_REPORTING: '1',
          ...extraEnv,
        },
        ...extra,
      };
    },
    async run(prompt, options) {
      const messages: SDKMessage[] = [];
      try {
        for await (const message of query({ prompt, options })) messages.push(message);
        return { messages };
      } catch (thrown) {
        return { messages, thrown };
      }
    },
    messageBodies() {
      return current()
        .requests.filter((request) => request.path === '/v1/messages')
        .map((request) => request.body as MessagesRequest);
    },
  };
}

/** A compact, assertable trace: `system:init`, `assistant:tool_use(Write)`, `result:success`, … */
export function trace(messages: SDKMessage[]): string[] {
  return messages
    .filter(
      (message) =>
        message.type !== 'stream_event' &&
        !(message.type === 'system' && message.subtype === 'status'),
    )
    .map((message) => {
      if (message.type === 'assistant' || message.type === 'user') {
        const content = message.message.content;
        const blocks =
          typeof content === 'string'
            ? ['text']
            : content.map((block) =>
                block.type === 'tool_use' ? `tool_use(${block.name})` : block.type,
              );
        return `${message.type}:${blocks.join(',')}`;
      }
      return 'subtype' in message ? `${message.type}:${String(message.subtype)}` : message.type;
    });
}

export function resultOf(messages: SDKMessage[]): SDKResultMessage {
  const result = messages.findLast((message) => message.type === 'result');
  if (!result || result.type !== 'result') {
    throw new Error(`no result in ${JSON.stringify(trace(messages))}`);
  }
  return result;
}

export function toolResultTexts(messages: SDKMessage[]): string[] {
  return messages.flatMap((message) => {
    if (message.type !== 'user' || typeof message.message.content === 'string') return [];
    return message.message.content.flatMap((block) =>
      block.type === 'tool_result'
        ? [typeof block.content === 'string' ? block.content : JSON.stringify(block.content)]
        : [],
    );
  });
}
