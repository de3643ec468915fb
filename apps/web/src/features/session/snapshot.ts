/**
 * MESSAGES_SNAPSHOT → chat messages. The server compacts finished runs into one snapshot of AG-UI
 * messages (core/compaction.ts); the snapshot REPLACES whatever the chat held (AG-UI semantics), so
 * a reader that reconnects from any cursor ends with the same conversation as one that saw every
 * event. Sub-agent status survives compaction on the Task tool call's `metadata.subagent`.
 */
import type { ChatMessage, RunView, SubagentStatus, SubagentView, ToolCallView } from './chat-types.ts';
import { contentText, recordField, stringField } from './event-fields.ts';
import type { LooseRecord } from './event-fields.ts';

export interface SnapshotView {
  messages: ChatMessage[];
  subagents: Record<string, SubagentView>;
  run: RunView;
}

const SUBAGENT_STATUSES: readonly SubagentStatus[] = ['running', 'finished', 'failed'];

function asRecords(value: unknown): LooseRecord[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is LooseRecord => typeof item === 'object' && item !== null);
}

function attribution(message: LooseRecord): { subagentRunId?: string } {
  const subagentRunId =
    stringField(message, 'subagentRunId') ?? stringField(recordField(message, 'metadata'), 'parentToolCallId');
  return subagentRunId ? { subagentRunId } : {};
}

function toolCallsOf(message: LooseRecord, subagents: Record<string, SubagentView>): ToolCallView[] {
  return asRecords(message['toolCalls']).map((call) => {
    const id = stringField(call, 'id') ?? '';
    const subagent = recordField(recordField(call, 'metadata'), 'subagent');
    const status = stringField(subagent, 'status');
    if (subagent && status && (SUBAGENT_STATUSES as readonly string[]).includes(status)) {
      subagents[id] = {
        id,
        name: stringField(subagent, 'name') ?? 'subagent',
        description: stringField(subagent, 'description'),
        status: status as SubagentStatus,
        message: stringField(subagent, 'result') ?? stringField(subagent, 'message'),
      };
    }
    const functionCall = recordField(call, 'function');
    return {
      id,
      name: stringField(functionCall, 'name') ?? '',
      arguments: stringField(functionCall, 'arguments') ?? '',
      argumentsComplete: true,
    };
  });
}

function convertMessage(message: LooseRecord, subagents: Record<string, SubagentView>): ChatMessage | undefined {
  const id = stringField(message, 'id') ?? '';
  const role = stringField(message, 'role');
  const base = { id, ...attribution(message) };
  switch (role) {
    case 'user':
      return { ...base, role: 'user', content: contentText(message['content']), streaming: false };
    case 'system':
    case 'developer':
      return { ...base, role: 'system', content: contentText(message['content']), streaming: false };
    case 'assistant':
      return {
        ...base,
        role: 'assistant',
        content: contentText(message['content']),
        toolCalls: toolCallsOf(message, subagents),
        streaming: false,
      };
    case 'tool':
      return {
        ...base,
        role: 'tool',
        toolCallId: stringField(message, 'toolCallId') ?? '',
        content: contentText(message['content']),
        isError: stringField(message, 'error') !== undefined,
      };
    case 'reasoning':
      return { ...base, role: 'reasoning', content: contentText(message['content']), streaming: false };
    default:
      return undefined; // activity messages and future roles: nothing the chat shows yet
  }
}

/** The run state a snapshot implies: it ends at a run's end, so nothing is running. */
function runAfterSnapshot(lastRun: LooseRecord | undefined): RunView {
  const outcome = stringField(lastRun, 'outcome');
  const runId = stringField(lastRun, 'runId');
  const status = outcome === 'error' ? 'failed' : outcome === 'cancelled' || outcome === 'interrupt' ? 'cancelled' : outcome ? 'finished' : 'idle';
  return runId ? { status, runId } : { status };
}

export function snapshotView(event: LooseRecord, seq: number): SnapshotView {
  const subagents: Record<string, SubagentView> = {};
  const messages: ChatMessage[] = [];
  for (const message of asRecords(event['messages'])) {
    const converted = convertMessage(message, subagents);
    if (converted) messages.push(converted);
  }
  const lastRun = recordField(recordField(recordField(event, 'metadata'), 'ambient'), 'lastRun');
  const errorMessage = stringField(lastRun, 'message');
  if (stringField(lastRun, 'outcome') === 'error') {
    // Only the last run's error survives compaction; it is still worth showing where the chat ends.
    messages.push({ id: `run-error-${seq}`, role: 'run-error', message: errorMessage ?? 'The run failed.' });
  }
  return { messages, subagents, run: runAfterSnapshot(lastRun) };
}
