/** Real resources and real AG-UI events for the contract suites. */
import { EventType } from '@ambient/contracts';
import type {
  AgenticSession,
  AgUiEvent,
  Project,
  SessionEvent,
  SessionResult,
} from '@ambient/contracts';
import type { AppendInput, NewObject } from '@ambient/core';

export function newSession(
  namespace: string,
  name: string,
  overrides: { labels?: Record<string, string>; finalizers?: string[]; prompt?: string } = {},
): NewObject<AgenticSession> {
  return {
    metadata: {
      name,
      namespace,
      ...(overrides.labels ? { labels: overrides.labels } : {}),
      ...(overrides.finalizers ? { finalizers: overrides.finalizers } : {}),
    },
    spec: {
      initialPrompt: overrides.prompt ?? 'Summarise the repository',
      interactive: false,
      timeout: 600,
    },
  };
}

export function newProject(name: string, labels?: Record<string, string>): NewObject<Project> {
  return {
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: { displayName: `Project ${name}` },
  };
}

export const agUi = {
  runStarted: (runId: string, threadId = 'thread-1'): AgUiEvent => ({
    type: EventType.RUN_STARTED,
    threadId,
    runId,
  }),
  runFinished: (runId: string, threadId = 'thread-1'): AgUiEvent => ({
    type: EventType.RUN_FINISHED,
    threadId,
    runId,
  }),
  runError: (message: string): AgUiEvent => ({ type: EventType.RUN_ERROR, message }),
  textStart: (messageId: string): AgUiEvent => ({
    type: EventType.TEXT_MESSAGE_START,
    messageId,
    role: 'assistant',
  }),
  textContent: (messageId: string, delta: string): AgUiEvent => ({
    type: EventType.TEXT_MESSAGE_CONTENT,
    messageId,
    delta,
  }),
  textEnd: (messageId: string): AgUiEvent => ({ type: EventType.TEXT_MESSAGE_END, messageId }),
  sdkSession: (sdkSessionId: string): AgUiEvent => ({
    type: EventType.CUSTOM,
    name: 'ambient.sdk_session',
    value: { sdkSessionId },
  }),
  runResult: (result: SessionResult): AgUiEvent => ({
    type: EventType.CUSTOM,
    name: 'ambient.run_result',
    value: result,
  }),
};

/** `count` content deltas of one message: the bulk of a real session's log. */
export function textDeltas(count: number, messageId = 'm1', firstIndex = 0): AgUiEvent[] {
  return Array.from({ length: count }, (_, offset) =>
    agUi.textContent(messageId, `chunk ${firstIndex + offset} `),
  );
}

/** Runner inputs (they carry producerSeqs) numbered from `firstProducerSeq`. */
export function fromRunner(events: readonly AgUiEvent[], firstProducerSeq: number): AppendInput[] {
  return events.map((event, offset) => ({ event, producerSeq: firstProducerSeq + offset }));
}

export function seqsOf(events: readonly SessionEvent[]): number[] {
  return events.map((event) => event.seq);
}

/** The seqs from `first` to `last`, both included. */
export function seqRange(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, offset) => first + offset);
}
