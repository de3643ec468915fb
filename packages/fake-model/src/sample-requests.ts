/**
 * Requests shaped like the ones Claude Code 2.1.x really sends (captured from the CLI), for unit
 * tests of plans: `<system-reminder>` before the prompt, a `role:"system"` environment message
 * after it, tool results as user turns. Keeping the odd parts here makes plan tests honest.
 */
import type { MessagesRequest, RequestMessage, RequestTool } from './types.ts';

export interface SampleRequestOptions {
  prompt: string;
  /** Announced as `Primary working directory:` in the environment message. */
  cwd?: string;
  /** Tool names offered to the model (default: the ones the fake scripts). */
  toolNames?: string[];
  /** Turns after the environment message: assistant tool calls and user tool results. */
  turns?: RequestMessage[];
  stream?: boolean;
}

export const SAMPLE_MODEL = 'claude-opus-5-5';

export function sampleTools(names: string[]): RequestTool[] {
  return names.map((name) => ({
    name,
    description: `${name} tool`,
    input_schema: { type: 'object' },
  }));
}

export function sampleClaudeCodeRequest(options: SampleRequestOptions): MessagesRequest {
  const cwd = options.cwd ?? '/workspace/project';
  return {
    model: SAMPLE_MODEL,
    stream: options.stream ?? true,
    max_tokens: 128000,
    system: [
      {
        type: 'text',
        text: 'x-anthropic-billing-header: cc_version=2.1.331; cc_entrypoint=sdk-ts;',
      },
      { type: 'text', text: "You are a Claude agent, built on Anthropic's Claude Agent SDK." },
    ],
    tools: sampleTools(options.toolNames ?? ['Bash', 'Edit', 'Read', 'Write']),
    output_config: { effort: 'medium' },
    messages: [
      {
        role: 'user',
        content: [
          {
            type: 'text',
            text: '<system-reminder>\nAttribution for git commits…\n</system-reminder>',
          },
          { type: 'text', text: options.prompt },
        ],
      },
      {
        role: 'system',
        content: `# Environment\nYou have been invoked in the following environment: \n - Primary working directory: ${cwd}\n - Platform: linux`,
      },
      ...(options.turns ?? []),
    ],
  };
}

/** One completed tool step: the assistant's call and the user turn carrying its result. */
export function sampleToolTurn(
  name: string,
  input: Record<string, unknown>,
  result: string,
  isError = false,
): RequestMessage[] {
  const id = `toolu_sample_${name}_${Math.random().toString(36).slice(2, 8)}`;
  return [
    { role: 'assistant', content: [{ type: 'tool_use', id, name, input }] },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: id,
          content: result,
          ...(isError ? { is_error: true } : {}),
        },
      ],
    },
  ];
}

/** The title-generation request Claude Code sends unless nonessential traffic is disabled. */
export function sampleTitleRequest(sessionText: string): MessagesRequest {
  return {
    model: SAMPLE_MODEL,
    stream: true,
    tools: [],
    system: [
      { type: 'text', text: 'You are naming a coding session so the user can pick it out…' },
    ],
    output_config: {
      effort: 'medium',
      format: {
        type: 'json_schema',
        schema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
      },
    },
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: `<session>\n${sessionText}\n</session>\n\nWrite the title…` },
        ],
      },
    ],
  };
}
