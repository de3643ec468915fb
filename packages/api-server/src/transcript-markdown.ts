/**
 * A session's events as a readable Markdown transcript (the export route): one section per run
 * with the user's and the agent's turns, tool calls and their (truncated) results as fenced blocks,
 * sub-agent turns labelled, and the run's outcome, cost and tokens. Incremental: `push` returns the
 * Markdown of each run as soon as it ends, so an export streams without holding the whole log.
 */
import { CUSTOM_EVENT, EventType } from '@ambient/contracts';
import type { SessionEvent, SessionResult } from '@ambient/contracts';
import { ConversationFold, isRunEnd } from '@ambient/core';
import type { AssistantMessage, ConversationMessage } from '@ambient/core';

export const MAX_TOOL_RESULT_CHARS = 2_000;
export const MAX_TOOL_ARGUMENT_CHARS = 4_000;

export interface TranscriptHeader {
  project: string;
  name: string;
  uid: string;
  displayName?: string;
  phase?: string;
  createdAt?: string;
  exportedAt: string;
}

export class MarkdownTranscript {
  #buffered: SessionEvent[] = [];
  #runs = 0;
  #totalCostUsd = 0;
  #totalInputTokens = 0;
  #totalOutputTokens = 0;

  header(session: TranscriptHeader): string {
    const lines = [
      `# ${session.displayName || session.name}`,
      '',
      `- Session: \`${session.name}\` (project \`${session.project}\`, uid \`${session.uid}\`)`,
      ...(session.phase ? [`- Phase: ${session.phase}`] : []),
      ...(session.createdAt ? [`- Created: ${session.createdAt}`] : []),
      `- Exported: ${session.exportedAt}`,
      '',
    ];
    return `${lines.join('\n')}\n`;
  }

  /** Markdown for the run this event ends, or '' while a run is still going. */
  push(event: SessionEvent): string {
    this.#buffered.push(event);
    if (!isRunEnd(event)) return '';
    const events = this.#buffered;
    this.#buffered = [];
    return this.#renderRun(events, true);
  }

  /** The run still in progress (if any) and the totals. */
  finish(): string {
    const open = this.#buffered.some((event) => event.type === EventType.RUN_STARTED);
    const tail = open ? this.#renderRun(this.#buffered, false) : '';
    this.#buffered = [];
    const tokens = `${this.#totalInputTokens.toLocaleString('en-US')} input / ${this.#totalOutputTokens.toLocaleString('en-US')} output tokens`;
    return `${tail}---\n\n**Total:** ${this.#runs} run(s) · $${this.#totalCostUsd.toFixed(4)} · ${tokens}\n`;
  }

  #renderRun(events: SessionEvent[], finished: boolean): string {
    this.#runs += 1;
    const fold = new ConversationFold().applyAll(events);
    const subagentNames = subagentNamesOf(fold.messages);
    const end = events[events.length - 1];
    const outcome = !finished ? 'in progress' : end?.type === EventType.RUN_ERROR ? 'failed' : (fold.lastRun?.outcome ?? 'success');
    const parts = [`## Run ${this.#runs} (${outcome})\n`];
    for (const message of fold.messages) parts.push(renderMessage(message, subagentNames));
    if (end?.type === EventType.RUN_ERROR && typeof end['message'] === 'string') parts.push(`> **Error:** ${end['message']}\n`);
    const result = resultOf(events);
    if (result) parts.push(this.#usageLine(result));
    return `${parts.join('\n')}\n`;
  }

  #usageLine(result: SessionResult): string {
    const inputTokens = tokenCount(result.usage, 'input_tokens');
    const outputTokens = tokenCount(result.usage, 'output_tokens');
    this.#totalCostUsd += result.totalCostUsd ?? 0;
    this.#totalInputTokens += inputTokens;
    this.#totalOutputTokens += outputTokens;
    const facts = [
      `$${(result.totalCostUsd ?? 0).toFixed(4)}`,
      `${inputTokens.toLocaleString('en-US')} input / ${outputTokens.toLocaleString('en-US')} output tokens`,
      ...(result.numTurns !== undefined ? [`${result.numTurns} turn(s)`] : []),
      ...(result.durationMs !== undefined ? [`${(result.durationMs / 1000).toFixed(1)} s`] : []),
    ];
    return `_${facts.join(' · ')}_\n`;
  }
}

function renderMessage(message: ConversationMessage, subagentNames: Map<string, string>): string {
  const who = (label: string): string =>
    message.subagentRunId ? `**${label} (sub-agent ${subagentNames.get(message.subagentRunId) ?? message.subagentRunId})**` : `**${label}**`;
  switch (message.role) {
    case 'user':
    case 'system':
    case 'developer':
      return `${who(capitalise(message.role))}\n\n${textOf(message.content)}\n`;
    case 'assistant':
      return renderAssistant(message, who('Assistant'));
    case 'tool': {
      const label = message.error !== undefined ? 'Tool result (error)' : 'Tool result';
      return `${who(label)} \`${message.toolCallId}\`\n\n${fenced(truncate(textOf(message.content), MAX_TOOL_RESULT_CHARS), '')}\n`;
    }
    case 'reasoning':
      return `${who('Thinking')}\n\n${message.content.split('\n').map((line) => `> ${line}`).join('\n')}\n`;
    case 'activity':
      return `${who(`Activity: ${message.activityType}`)}\n\n${fenced(JSON.stringify(message.content, null, 2), 'json')}\n`;
  }
}

function renderAssistant(message: AssistantMessage, label: string): string {
  const parts: string[] = [];
  if (message.content) parts.push(`${label}\n\n${message.content}\n`);
  for (const call of message.toolCalls ?? []) {
    parts.push(`**Tool call** \`${call.function.name}\` \`${call.id}\`\n\n${fenced(truncate(prettyJson(call.function.arguments), MAX_TOOL_ARGUMENT_CHARS), 'json')}\n`);
  }
  return parts.join('\n');
}

/** Task tool call id → the sub-agent's name, to label its turns. */
function subagentNamesOf(messages: readonly ConversationMessage[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const call of message.toolCalls ?? []) {
      const subagent = call.metadata?.['subagent'] as { name?: unknown } | undefined;
      if (typeof subagent?.name === 'string') names.set(call.id, subagent.name);
    }
  }
  return names;
}

function resultOf(events: readonly SessionEvent[]): SessionResult | undefined {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const event = events[index]!;
    if (event.type === EventType.CUSTOM && event['name'] === CUSTOM_EVENT.runResult) return event['value'] as SessionResult;
    if (event.type === EventType.RUN_FINISHED && typeof event['result'] === 'object' && event['result'] !== null) {
      return event['result'] as SessionResult;
    }
  }
  return undefined;
}

function tokenCount(usage: Record<string, unknown> | undefined, key: string): number {
  const value = usage?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function textOf(content: string | unknown[]): string {
  if (typeof content === 'string') return content;
  return content
    .map((part) => (typeof part === 'object' && part !== null && 'text' in part ? String(part.text) : '[attachment]'))
    .join('\n');
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n… [${text.length - maxChars} more characters]`;
}

/** A fence longer than any backtick run inside, so tool output cannot end the block early. */
export function fenced(text: string, language: string): string {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
