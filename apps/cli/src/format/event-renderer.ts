/**
 * Turns a session's AG-UI events into what a person watching a terminal wants: the assistant's text
 * as it streams, each tool call as one line (`→ Write hello.txt`), its result as ✓ / ✗, and a final
 * line per run with turns, cost and duration. Stateful (open messages and tool calls), pure
 * otherwise: `render` returns the text to print, so it is tested without a terminal.
 */
import { CUSTOM_EVENT, EventType, sessionResultSchema } from '@ambient/contracts';
import type { SessionEvent, SessionResult } from '@ambient/contracts';
import type { Style } from './style.ts';
import { createStyle } from './style.ts';
import { firstLine, formatResultFacts, truncate } from './values.ts';
import { summarizeToolArguments } from './tool-summary.ts';

interface OpenToolCall {
  name: string;
  argumentsText: string;
  /** Sub-agent calls are indented under the call that started the sub-agent. */
  nested: boolean;
}

const RESULT_PREVIEW_LENGTH = 120;

function text(event: SessionEvent, field: string): string | undefined {
  const value = event[field];
  return typeof value === 'string' ? value : undefined;
}

function isSubagentEvent(event: SessionEvent): boolean {
  return typeof event['subagentRunId'] === 'string';
}

export class EventRenderer {
  private readonly style: Style;
  private readonly roles = new Map<string, string>();
  private readonly toolCalls = new Map<string, OpenToolCall>();
  private atLineStart = true;
  /** The agent's working directory (from ambient.sdk_session), to show workspace paths relatively. */
  private workingDirectory: string | undefined;
  private lastResult: SessionResult | undefined;

  constructor(options: { color: boolean }) {
    this.style = createStyle(options.color);
  }

  render(event: SessionEvent): string {
    switch (event.type) {
      case EventType.TEXT_MESSAGE_START:
        return this.messageStart(
          text(event, 'messageId') ?? '',
          text(event, 'role') ?? 'assistant',
          event,
        );
      case EventType.TEXT_MESSAGE_CONTENT:
        return this.messageContent(
          text(event, 'messageId') ?? '',
          text(event, 'delta') ?? '',
          event,
        );
      case EventType.TEXT_MESSAGE_CHUNK:
        return this.messageChunk(event);
      case EventType.TEXT_MESSAGE_END:
        return this.finishLine();
      case EventType.TOOL_CALL_START:
      case EventType.TOOL_CALL_ARGS:
        this.trackToolCall(event);
        return '';
      case EventType.TOOL_CALL_END:
        return this.toolCallLine(text(event, 'toolCallId') ?? '');
      case EventType.TOOL_CALL_RESULT:
        return this.toolResultLine(event);
      case EventType.RUN_FINISHED:
        return this.runFinished(event);
      case EventType.RUN_ERROR:
        return this.runError(event);
      case EventType.CUSTOM:
        return this.custom(text(event, 'name') ?? '', event['value']);
      default:
        return ''; // steps, state deltas, reasoning: not shown in the terminal view
    }
  }

  /** Text that closes an unfinished line, for when the watch ends mid-message. */
  finish(): string {
    return this.finishLine();
  }

  private messageStart(messageId: string, role: string, event: SessionEvent): string {
    this.roles.set(messageId, isSubagentEvent(event) ? 'subagent' : role);
    if (role !== 'user') return '';
    const opening = `${this.finishLine()}${this.style.bold(this.style.cyan('> '))}`;
    this.atLineStart = false;
    return opening;
  }

  /** AG-UI's shorthand: start, content and end folded into chunks of one message. */
  private messageChunk(event: SessionEvent): string {
    const messageId = text(event, 'messageId') ?? '';
    const opening = this.roles.has(messageId)
      ? ''
      : this.messageStart(messageId, text(event, 'role') ?? 'assistant', event);
    return opening + this.messageContent(messageId, text(event, 'delta') ?? '', event);
  }

  private messageContent(messageId: string, delta: string, event: SessionEvent): string {
    const role = this.roles.get(messageId) ?? (isSubagentEvent(event) ? 'subagent' : 'assistant');
    // Sub-agents' own prose would interleave with the main answer; their tool calls still show.
    if (role === 'subagent' || delta === '') return '';
    const shown = role === 'user' ? this.style.cyan(delta.replace(/\n/g, '\n  ')) : delta;
    this.atLineStart = delta.endsWith('\n');
    return shown;
  }

  /** A call is shown once its arguments are complete (TOOL_CALL_END): they name what it acts on. */
  private trackToolCall(event: SessionEvent): void {
    const toolCallId = text(event, 'toolCallId') ?? '';
    if (event.type === EventType.TOOL_CALL_START) {
      this.toolCalls.set(toolCallId, {
        name: text(event, 'toolCallName') ?? 'tool',
        argumentsText: '',
        nested: isSubagentEvent(event),
      });
      return;
    }
    const call = this.toolCalls.get(toolCallId);
    if (call) call.argumentsText += text(event, 'delta') ?? '';
  }

  private toolCallLine(toolCallId: string): string {
    const call = this.toolCalls.get(toolCallId);
    if (!call) return '';
    const summary = summarizeToolArguments(call.argumentsText, this.workingDirectory);
    const indent = call.nested ? '    ' : '';
    const label = `${indent}→ ${this.style.bold(call.name)}${summary ? ` ${summary}` : ''}`;
    return this.line(label);
  }

  private toolResultLine(event: SessionEvent): string {
    const toolCallId = text(event, 'toolCallId') ?? '';
    const call = this.toolCalls.get(toolCallId);
    this.toolCalls.delete(toolCallId);
    const metadata = event['metadata'];
    const isError =
      typeof metadata === 'object' &&
      metadata !== null &&
      'isError' in metadata &&
      metadata.isError === true;
    const indent = call?.nested || isSubagentEvent(event) ? '      ' : '  ';
    if (!isError) return this.line(`${indent}${this.style.green('✓')}`);
    const detail = truncate(firstLine(text(event, 'content') ?? ''), RESULT_PREVIEW_LENGTH);
    return this.line(`${indent}${this.style.red(`✗${detail ? ` ${detail}` : ''}`)}`);
  }

  private runFinished(event: SessionEvent): string {
    const parsed = sessionResultSchema.safeParse(event['result']);
    const result = parsed.success ? parsed.data : this.lastResult;
    this.lastResult = undefined;
    const outcome = event['outcome'];
    const cancelled =
      typeof outcome === 'object' &&
      outcome !== null &&
      'type' in outcome &&
      outcome.type === 'cancelled';
    if (cancelled) return this.line(this.style.yellow('■ run cancelled'), result);
    return this.line(this.style.green('✔ run finished'), result);
  }

  private runError(event: SessionEvent): string {
    const result = this.lastResult;
    this.lastResult = undefined;
    return this.line(
      this.style.red(`✗ run failed: ${text(event, 'message') ?? 'unknown error'}`),
      result,
    );
  }

  private custom(name: string, value: unknown): string {
    const fields =
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    if (name === CUSTOM_EVENT.sdkSession && typeof fields['cwd'] === 'string') {
      this.workingDirectory = fields['cwd'];
    } else if (name === CUSTOM_EVENT.runResult) {
      const parsed = sessionResultSchema.safeParse(value);
      if (parsed.success) this.lastResult = parsed.data;
    } else if (name === CUSTOM_EVENT.apiRetry) {
      const status = fields['errorStatus'] ?? fields['error'] ?? 'error';
      return this.line(
        this.style.yellow(
          `… model API ${String(status)}, retrying (attempt ${String(fields['attempt'])}/${String(fields['maxRetries'])})`,
        ),
      );
    } else if (name === CUSTOM_EVENT.lifecycle && typeof fields['message'] === 'string') {
      return this.line(this.style.dim(`· ${fields['message']}`));
    }
    return '';
  }

  /** One full line, starting on a fresh line, with the run's facts appended when given. */
  private line(content: string, result?: SessionResult): string {
    const facts = formatResultFacts(result);
    const suffix = facts.length > 0 ? this.style.dim(` · ${facts.join(' · ')}`) : '';
    const opening = this.finishLine();
    this.atLineStart = true;
    return `${opening}${content}${suffix}\n`;
  }

  private finishLine(): string {
    if (this.atLineStart) return '';
    this.atLineStart = true;
    return '\n';
  }
}
