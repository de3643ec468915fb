/**
 * What the chat shows, folded from a session's AG-UI events by reduce-events.ts. The message shapes
 * follow AG-UI's `Message` (user, assistant with tool calls, tool result, reasoning) so a
 * MESSAGES_SNAPSHOT maps onto them directly, plus two kinds the UI adds: a run's error and a
 * platform notice. Everything is immutable: React compares by reference.
 */

export type SubagentStatus = 'running' | 'finished' | 'failed';

/** A sub-agent (Claude Code's Task/Agent tool), keyed by the tool call that started it. */
export interface SubagentView {
  id: string;
  name: string;
  description?: string;
  status: SubagentStatus;
  /** The sub-agent's final text or error message. */
  message?: string;
}

export interface ToolCallView {
  id: string;
  name: string;
  /** JSON text, joined from TOOL_CALL_ARGS deltas (may be partial while streaming). */
  arguments: string;
  /** TOOL_CALL_END arrived (or the call came from a snapshot). */
  argumentsComplete: boolean;
}

interface MessageBase {
  id: string;
  /** Set on messages a sub-agent produced: the id of the tool call that started it. */
  subagentRunId?: string;
}

export interface UserMessage extends MessageBase {
  role: 'user';
  content: string;
  streaming: boolean;
}

export interface AssistantMessage extends MessageBase {
  role: 'assistant';
  content: string;
  toolCalls: readonly ToolCallView[];
  streaming: boolean;
}

export interface ToolResultMessage extends MessageBase {
  role: 'tool';
  toolCallId: string;
  content: string;
  isError: boolean;
}

export interface ReasoningMessage extends MessageBase {
  role: 'reasoning';
  content: string;
  streaming: boolean;
}

export interface SystemMessage extends MessageBase {
  role: 'system';
  content: string;
  streaming: boolean;
}

/** A run that ended in RUN_ERROR: shown in the conversation where it happened. */
export interface RunErrorMessage extends MessageBase {
  role: 'run-error';
  message: string;
  code?: string;
}

/** A platform notice about the session's lifecycle (ambient.lifecycle). */
export interface NoticeMessage extends MessageBase {
  role: 'notice';
  content: string;
}

export type ChatMessage =
  | UserMessage
  | AssistantMessage
  | ToolResultMessage
  | ReasoningMessage
  | SystemMessage
  | RunErrorMessage
  | NoticeMessage;

export type StreamingMessage = UserMessage | AssistantMessage | ReasoningMessage | SystemMessage;

export type RunStatus = 'idle' | 'running' | 'finished' | 'cancelled' | 'failed';

export interface RunView {
  status: RunStatus;
  runId?: string;
}

/** The model API is busy and Claude Code retries (ambient.api_retry); cleared when output resumes. */
export interface RetryView {
  attempt: number;
  maxRetries?: number;
  errorStatus?: number;
}

/** The fields of a run's result the chat shows (the session status has the authoritative copy). */
export interface RunResultView {
  isError: boolean;
  numTurns?: number;
  durationMs?: number;
  totalCostUsd?: number;
  usage?: Readonly<Record<string, unknown>>;
}

export interface ChatState {
  /** The seq of the last event applied: the resume cursor, and the exactly-once guard. */
  lastSeq: number;
  messages: readonly ChatMessage[];
  subagents: Readonly<Record<string, SubagentView>>;
  run: RunView;
  retry?: RetryView;
  lastResult?: RunResultView;
  /** The model Claude Code reported at start (ambient.sdk_session). */
  model?: string;
}

export const INITIAL_CHAT_STATE: ChatState = {
  lastSeq: 0,
  messages: [],
  subagents: {},
  run: { status: 'idle' },
};
