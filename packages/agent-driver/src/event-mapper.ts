/**
 * Translates the Claude Agent SDK's messages of ONE run (one turn) into AG-UI events.
 *
 * Pure apart from its own state: no I/O, time comes from `now`, ids are derived from `runId`, so a
 * recorded SDK message sequence always maps to the same events (that is what the table tests use).
 * RUN_STARTED / RUN_FINISHED / RUN_ERROR are the session driver's business: only it knows whether
 * a run was interrupted, and it also echoes the user's message.
 */
import { CUSTOM_EVENT, EventType } from '@ambient/contracts';
import type { AgUiEvent, SessionResult } from '@ambient/contracts';
import type {
  SDKAPIRetryMessage,
  SDKAssistantMessage,
  SDKMessage,
  SDKResultMessage,
  SDKSystemMessage,
  SDKUserMessage,
} from '@anthropic-ai/claude-agent-sdk';
import { AgentStream } from './agent-stream.ts';
import type { EmitEvent } from './agent-stream.ts';
import { toSessionResult } from './session-result.ts';
import { isAsyncLaunch, SubagentTracker } from './subagents.ts';

export interface EventMapperOptions {
  /** AG-UI thread: the session name. */
  threadId: string;
  /** AG-UI run: one turn. Message ids are derived from it, so it must be unique. */
  runId: string;
  /** Milliseconds since the epoch; injectable for deterministic tests. */
  now?: () => number;
  /** Share one tracker between the runs of a session: background sub-agents outlive their run. */
  subagents?: SubagentTracker;
}

export interface EventMapper {
  map(message: SDKMessage): AgUiEvent[];
  /** Closes whatever is still open (a run that ended without a result, e.g. the CLI crashed). */
  finish(): AgUiEvent[];
  /** The Claude Code session id, once `system:init` was seen. */
  readonly sdkSessionId: string | undefined;
  /** The run's result, once the `result` message was seen. */
  readonly result: SessionResult | undefined;
}

/** Key of the main thread in the per-agent stream map (sub-agents use their parent tool_use id). */
const MAIN_AGENT = '';
/** Tool names under which Claude Code starts sub-agents (renamed from Task to Agent over time). */
const SUBAGENT_TOOL_NAMES = new Set(['Task', 'Agent']);

type UserContent = SDKUserMessage['message']['content'];
type ToolResultContent = Extract<
  Exclude<UserContent, string>[number],
  { type: 'tool_result' }
>['content'];

export function createEventMapper(options: EventMapperOptions): EventMapper {
  return new SdkEventMapper(options);
}

class SdkEventMapper implements EventMapper {
  sdkSessionId: string | undefined;
  result: SessionResult | undefined;
  private readonly now: () => number;
  private readonly subagents: SubagentTracker;
  private readonly streams = new Map<string, AgentStream>();
  private messageCounter = 0;
  private readonly makeEvent = (type: EventType, fields: Record<string, unknown>): AgUiEvent => ({
    type,
    timestamp: this.now(),
    ...fields,
  });

  constructor(private readonly options: EventMapperOptions) {
    this.now = options.now ?? Date.now;
    this.subagents = options.subagents ?? new SubagentTracker();
  }

  map(message: SDKMessage): AgUiEvent[] {
    switch (message.type) {
      case 'stream_event':
        return this.inAgent(message.parent_tool_use_id, {}, (stream) =>
          stream.onStreamEvent(message.event),
        );
      case 'assistant':
        this.rememberSubagentCalls(message);
        return this.inAgent(
          message.parent_tool_use_id,
          { name: message.subagent_type, description: message.task_description },
          (stream) => stream.onAssistantBlocks(message.message.id, message.message.content),
        );
      case 'user':
        // Replays echo history the platform already holds; only live tool results are news.
        if ('isReplay' in message && message.isReplay) return [];
        return this.inAgent(message.parent_tool_use_id, {}, () => this.toolResults(message));
      case 'system':
        return this.system(message);
      case 'result':
        return this.runResult(message);
      default:
        return []; // hooks, rate limits, prompt suggestions…: not part of the conversation
    }
  }

  finish(): AgUiEvent[] {
    return [...this.streams.values()].flatMap((stream) => stream.closeAll());
  }

  private system(message: Extract<SDKMessage, { type: 'system' }>): AgUiEvent[] {
    switch (message.subtype) {
      case 'init':
        return [this.sdkSession(message)];
      case 'api_retry':
        return [this.apiRetry(message)];
      case 'task_started':
        if (!message.tool_use_id) return [];
        return this.subagents.start(
          message.tool_use_id,
          { name: message.subagent_type, description: message.description },
          this.makeEvent,
        );
      case 'task_notification':
        if (!message.tool_use_id) return [];
        return [
          ...(this.streams.get(message.tool_use_id)?.closeAll() ?? []),
          ...this.subagents.end(
            message.tool_use_id,
            { failed: message.status !== 'completed', text: message.summary, code: message.status },
            this.makeEvent,
          ),
        ];
      default:
        return []; // status, hooks, task progress…: housekeeping
    }
  }

  private streamFor(agentKey: string): AgentStream {
    let stream = this.streams.get(agentKey);
    if (!stream) {
      const emit: EmitEvent = (type, fields) =>
        this.makeEvent(
          type,
          agentKey === MAIN_AGENT ? fields : { ...fields, ...subagentFields(agentKey) },
        );
      stream = new AgentStream(() => `${this.options.runId}-msg-${++this.messageCounter}`, emit);
      this.streams.set(agentKey, stream);
    }
    return stream;
  }

  /** Runs `mapStream` on the agent's stream, announcing a sub-agent the first time it speaks. */
  private inAgent(
    parentToolUseId: string | null,
    identity: { name?: string; description?: string },
    mapStream: (stream: AgentStream) => AgUiEvent[],
  ): AgUiEvent[] {
    if (!parentToolUseId) return mapStream(this.streamFor(MAIN_AGENT));
    return [
      ...this.subagents.start(parentToolUseId, identity, this.makeEvent),
      ...mapStream(this.streamFor(parentToolUseId)),
    ];
  }

  private rememberSubagentCalls(message: SDKAssistantMessage): void {
    for (const block of message.message.content) {
      if (block.type !== 'tool_use' || !SUBAGENT_TOOL_NAMES.has(block.name)) continue;
      const input = (block.input ?? {}) as Record<string, unknown>;
      this.subagents.rememberCall(block.id, {
        name: typeof input['subagent_type'] === 'string' ? input['subagent_type'] : undefined,
        description: typeof input['description'] === 'string' ? input['description'] : undefined,
      });
    }
  }

  private toolResults(message: SDKUserMessage): AgUiEvent[] {
    const content = message.message.content;
    if (typeof content === 'string') return []; // plain user text, e.g. "[Request interrupted by user]"
    const parentToolUseId = message.parent_tool_use_id;
    const stream = this.streamFor(parentToolUseId ?? MAIN_AGENT);
    const events: AgUiEvent[] = [];
    for (const block of content) {
      if (block.type !== 'tool_result') continue;
      const toolCallId = block.tool_use_id;
      const isError = block.is_error === true;
      const text = toolResultText(block.content);
      events.push(...stream.closeToolCall(toolCallId));
      if (this.subagents.isRunning(toolCallId) && !isAsyncLaunch(message.tool_use_result)) {
        // A foreground sub-agent ends with its Task call's result.
        events.push(...(this.streams.get(toolCallId)?.closeAll() ?? []));
        events.push(...this.subagents.end(toolCallId, { failed: isError, text }, this.makeEvent));
      }
      const subagent = parentToolUseId ? subagentFields(parentToolUseId) : undefined;
      events.push(
        this.makeEvent(EventType.TOOL_CALL_RESULT, {
          messageId: `${toolCallId}-result`,
          toolCallId,
          role: 'tool',
          content: text,
          ...(subagent ? { subagentRunId: subagent.subagentRunId } : {}),
          metadata: { ...subagent?.metadata, isError },
        }),
      );
    }
    return events;
  }

  private sdkSession(message: SDKSystemMessage): AgUiEvent {
    this.sdkSessionId = message.session_id;
    return this.makeEvent(EventType.CUSTOM, {
      name: CUSTOM_EVENT.sdkSession,
      value: {
        sdkSessionId: message.session_id,
        model: message.model,
        tools: message.tools,
        cwd: message.cwd,
      },
    });
  }

  private apiRetry(message: SDKAPIRetryMessage): AgUiEvent {
    return this.makeEvent(EventType.CUSTOM, {
      name: CUSTOM_EVENT.apiRetry,
      value: {
        attempt: message.attempt,
        maxRetries: message.max_retries,
        retryDelayMs: message.retry_delay_ms,
        errorStatus: message.error_status,
        error: message.error,
      },
    });
  }

  private runResult(message: SDKResultMessage): AgUiEvent[] {
    const result = toSessionResult(message);
    this.result = result;
    return [
      ...this.finish(),
      this.makeEvent(EventType.CUSTOM, { name: CUSTOM_EVENT.runResult, value: result }),
      // `add` (not `replace`): JSON Patch `replace` fails when /lastResult does not exist yet.
      this.makeEvent(EventType.STATE_DELTA, {
        delta: [{ op: 'add', path: '/lastResult', value: result }],
      }),
    ];
  }
}

/** How a UI tells which agent speaks: AG-UI's subagentRunId plus our metadata.parentToolCallId. */
function subagentFields(parentToolUseId: string): {
  subagentRunId: string;
  metadata: Record<string, unknown>;
} {
  return { subagentRunId: parentToolUseId, metadata: { parentToolCallId: parentToolUseId } };
}

function toolResultText(content: ToolResultContent): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');
}
