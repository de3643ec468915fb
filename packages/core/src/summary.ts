/** Folds events into a SessionSummary; shared by every EventLog adapter so they agree exactly. */
import { z } from 'zod';
import {
  CUSTOM_EVENT,
  EventType,
  sessionRepoStatusSchema,
  sessionResultSchema,
} from '@ambient/contracts';
import type { AgUiEvent } from '@ambient/contracts';
import type { SessionSummary } from './event-log.ts';

export const EMPTY_SUMMARY: SessionSummary = {
  lastSeq: 0,
  lastProducerSeq: 0,
  runsStarted: 0,
  runsFinished: 0,
};

export function foldSummary(
  summary: SessionSummary,
  event: AgUiEvent,
  seq: number,
  producerSeq: number | undefined,
  atIso: string,
): SessionSummary {
  const next: SessionSummary = {
    ...summary,
    lastSeq: seq,
    lastProducerSeq: producerSeq ?? summary.lastProducerSeq,
    lastEventAt: atIso,
  };
  switch (event.type) {
    case EventType.RUN_STARTED:
      next.runsStarted += 1;
      break;
    case EventType.RUN_FINISHED:
      next.runsFinished += 1;
      next.lastRunError = undefined;
      break;
    case EventType.RUN_ERROR:
      next.runsFinished += 1;
      next.lastRunError = typeof event['message'] === 'string' ? event['message'] : 'run failed';
      break;
    case EventType.CUSTOM:
      foldCustom(next, event);
      break;
    default:
      break;
  }
  return next;
}

function foldCustom(summary: SessionSummary, event: AgUiEvent): void {
  const value = event['value'] as Record<string, unknown> | undefined;
  if (event['name'] === CUSTOM_EVENT.sdkSession && typeof value?.['sdkSessionId'] === 'string') {
    summary.sdkSessionId = value['sdkSessionId'];
  }
  if (event['name'] === CUSTOM_EVENT.runResult) {
    const parsed = sessionResultSchema.safeParse(value);
    if (parsed.success) summary.lastResult = parsed.data;
  }
  if (event['name'] === CUSTOM_EVENT.repos) {
    // Parsed with the status schema: only fields status.repos has survive (the runner's per-repo
    // `message` is in its RUN_ERROR already), so the controller can copy the list as it is.
    const parsed = reposValueSchema.safeParse(value);
    if (parsed.success) summary.repos = parsed.data.repos;
  }
}

const reposValueSchema = z.object({ repos: z.array(sessionRepoStatusSchema) });
