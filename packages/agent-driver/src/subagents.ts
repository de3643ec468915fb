/**
 * Sub-agent lifecycle, shared by the mappers of all runs of a session: a background sub-agent
 * (Task tool) can be launched in one run and report in a later, CLI-initiated one.
 *
 * A sub-agent is identified by the tool_use id of the Task call that started it; that id is the
 * AG-UI `subagentRunId` and the `parent_tool_use_id` of every SDK message the sub-agent produces.
 */
import { EventType } from '@ambient/contracts';
import type { AgUiEvent } from '@ambient/contracts';
import { truncateText } from './session-result.ts';

export interface SubagentIdentity {
  name?: string;
  description?: string;
}

type MakeEvent = (type: EventType, fields: Record<string, unknown>) => AgUiEvent;

const MAX_SUBAGENT_MESSAGE_LENGTH = 1_000;

export class SubagentTracker {
  /** What the Task tool_use asked for, remembered until the sub-agent starts. */
  private readonly calls = new Map<string, SubagentIdentity>();
  private readonly running = new Set<string>();
  private readonly ended = new Set<string>();

  rememberCall(toolUseId: string, identity: SubagentIdentity): void {
    this.calls.set(toolUseId, identity);
  }

  isRunning(toolUseId: string): boolean {
    return this.running.has(toolUseId);
  }

  /** SUBAGENT_STARTED the first time a sub-agent shows up (task_started or its first message). */
  start(toolUseId: string, identity: SubagentIdentity, makeEvent: MakeEvent): AgUiEvent[] {
    if (this.running.has(toolUseId) || this.ended.has(toolUseId)) return [];
    this.running.add(toolUseId);
    const call = this.calls.get(toolUseId);
    const description = identity.description ?? call?.description;
    return [
      makeEvent(EventType.SUBAGENT_STARTED, {
        subagentRunId: toolUseId,
        name: identity.name ?? call?.name ?? 'subagent',
        ...(description ? { description } : {}),
        parentToolCallId: toolUseId,
      }),
    ];
  }

  /** SUBAGENT_FINISHED or SUBAGENT_ERROR, once, for a running sub-agent. */
  end(
    toolUseId: string,
    outcome: { failed: boolean; text: string; code?: string },
    makeEvent: MakeEvent,
  ): AgUiEvent[] {
    if (!this.running.delete(toolUseId)) return [];
    this.ended.add(toolUseId);
    this.calls.delete(toolUseId);
    if (outcome.failed) {
      return [
        makeEvent(EventType.SUBAGENT_ERROR, {
          subagentRunId: toolUseId,
          message: truncateText(
            outcome.text || 'the sub-agent failed',
            MAX_SUBAGENT_MESSAGE_LENGTH,
          ),
          ...(outcome.code ? { code: outcome.code } : {}),
        }),
      ];
    }
    return [
      makeEvent(EventType.SUBAGENT_FINISHED, {
        subagentRunId: toolUseId,
        outcome: { type: 'success' },
        ...(outcome.text
          ? { result: truncateText(outcome.text, MAX_SUBAGENT_MESSAGE_LENGTH) }
          : {}),
      }),
    ];
  }
}

/** A Task call launched in the background answers at once; that result is not the sub-agent's end. */
export function isAsyncLaunch(toolUseResult: unknown): boolean {
  if (typeof toolUseResult !== 'object' || toolUseResult === null) return false;
  const result = toolUseResult as Record<string, unknown>;
  return result['isAsync'] === true || result['status'] === 'async_launched';
}
