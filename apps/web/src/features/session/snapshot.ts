/**
 * MESSAGES_SNAPSHOT → chat messages. The server compacts finished runs into one snapshot of AG-UI
 * messages (core/compaction.ts); the snapshot REPLACES whatever the chat held (AG-UI semantics), so
 * a reader that reconnects from any cursor ends with the same conversation as one that saw every
 * event. Sub-agent status survives compaction on the Task tool call's `metadata.subagent`, and the
 * marker of every interrupted or failed run on `metadata.ambient.runOutcomes` (with its place).
 */
import type { ChatMessage, RunView, SubagentStatus, SubagentView, ToolCallView } from './chat-types.ts';
import { contentText, numberField, recordField, stringField } from './event-fields.ts';
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

/**
 * The marker a run that did not succeed leaves in the chat, with the id the live reducer gives it
 * (reduce-events.ts finishRun), so a reload shows the same entries under the same keys.
 */
export function runOutcomeMessage(outcome: string | undefined, seq: number, message?: string, code?: string): ChatMessage | undefined {
  if (outcome === 'error') return { id: `run-error-${seq}`, role: 'run-error', message: message ?? 'The run failed.', ...(code ? { code } : {}) };
  if (outcome === 'cancelled' || outcome === 'interrupt') return { id: `run-cancelled-${seq}`, role: 'notice', content: 'Interrupted' };
  return undefined;
}

/** Each interrupted or failed run's marker with its place: after `messageCount` snapshot messages. */
function runMarks(ambient: LooseRecord | undefined): { messageCount: number; marker: ChatMessage }[] {
  return asRecords(ambient?.['runOutcomes']).flatMap((mark) => {
    const seq = numberField(mark, 'seq');
    const messageCount = numberField(mark, 'messageCount');
    const marker = seq === undefined ? undefined : runOutcomeMessage(stringField(mark, 'outcome'), seq, stringField(mark, 'message'), stringField(mark, 'code'));
    return marker && messageCount !== undefined ? [{ messageCount, marker }] : [];
  });
}

export function snapshotView(event: LooseRecord, seq: number): SnapshotView {
  const subagents: Record<string, SubagentView> = {};
  const ambient = recordField(recordField(event, 'metadata'), 'ambient');
  const lastRun = recordField(ambient, 'lastRun');
  const marks = runMarks(ambient);
  const messages: ChatMessage[] = [];
  const placeMarks = (count: number): void => {
    for (const mark of marks) if (mark.messageCount === count) messages.push(mark.marker);
  };
  const records = asRecords(event['messages']);
  records.forEach((message, index) => {
    placeMarks(index);
    const converted = convertMessage(message, subagents);
    if (converted) messages.push(converted);
  });
  placeMarks(records.length);
  if (!Array.isArray(ambient?.['runOutcomes'])) {
    // A server from before `runOutcomes` keeps only the last run's outcome: show that at the end.
    const marker = runOutcomeMessage(stringField(lastRun, 'outcome'), numberField(lastRun, 'seq') ?? seq, stringField(lastRun, 'message'), stringField(lastRun, 'code'));
    if (marker) messages.push(marker);
  }
  return { messages, subagents, run: runAfterSnapshot(lastRun) };
}
