/**
 * The AG-UI `Message` shapes the conversation fold produces (structurally those of @ag-ui/core,
 * which core does not depend on; the compaction tests validate them with its schemas).
 */
export type MessageMetadata = Record<string, unknown>;

export interface MessageBase {
  id: string;
  subagentRunId?: string;
  metadata?: MessageMetadata;
  encryptedValue?: string;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  metadata?: MessageMetadata;
  encryptedValue?: string;
}

export interface TextMessage extends MessageBase {
  role: 'user' | 'system' | 'developer';
  content: string | unknown[];
}

export interface AssistantMessage extends MessageBase {
  role: 'assistant';
  content?: string;
  toolCalls?: ToolCall[];
}

export interface ToolMessage extends MessageBase {
  role: 'tool';
  toolCallId: string;
  content: string | unknown[];
  error?: string;
}

export interface ReasoningMessage extends MessageBase {
  role: 'reasoning';
  content: string;
}

export interface ActivityMessage extends MessageBase {
  role: 'activity';
  activityType: string;
  content: MessageMetadata;
}

export type ConversationMessage = TextMessage | AssistantMessage | ToolMessage | ReasoningMessage | ActivityMessage;

export interface LastRunOutcome {
  seq: number;
  runId?: string;
  outcome: 'success' | 'cancelled' | 'interrupt' | 'error';
  /** RUN_ERROR's message and code. */
  message?: string;
  code?: string;
}

/**
 * A run that did not succeed (interrupted, cancelled or failed), with where it ended: after the
 * first `messageCount` messages. Readers of a compacted stream show its marker there, as a reader
 * of the raw events did when the run ended.
 */
export interface RunOutcomeMark extends LastRunOutcome {
  outcome: 'cancelled' | 'interrupt' | 'error';
  messageCount: number;
}
