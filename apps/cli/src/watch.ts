/**
 * `sessions watch` and the `--watch` of create and send: print a session's events live and decide
 * when to stop and with which exit code.
 *
 * The event stream itself never ends (the server keeps it open for later runs), so two signals end
 * a watch: the event that ends the awaited run (mode `run`), or the session reaching a terminal
 * phase (both modes), which a slow poll of the session notices. Events are stored before the phase
 * changes, so after a terminal phase we only wait until the stream has been quiet briefly, to print
 * everything that was still in flight.
 */
import { ClientError } from '@ambient/client';
import type { AmbientClient } from '@ambient/client';
import { EventType, TERMINAL_SESSION_PHASES } from '@ambient/contracts';
import type { AgenticSession, SessionEvent } from '@ambient/contracts';
import type { CliContext } from './context.ts';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from './errors.ts';
import { EventRenderer } from './format/event-renderer.ts';
import { Progress } from './output.ts';

/** `run`: until the awaited run ends. `session`: until the session reaches a terminal phase. */
export type WatchUntil = 'run' | 'session';

export interface WatchRequest {
  project: string;
  name: string;
  /** Print only events after this seq. */
  afterSeq?: number;
  /** One event per line, as JSON, instead of the human view. */
  json: boolean;
  until: WatchUntil;
  /**
   * Skip events until the echo of this user message (its id is the runId `send` returned), so
   * `send --watch` shows the run of that message, not the session's history.
   */
  fromMessageId?: string;
}

const PHASE_POLL_INTERVAL_MS = 1_000;
/** How long the stream must have been quiet, after a terminal phase, before the watch ends. */
const DRAIN_QUIET_MS = 1_000;
/** Fast replays should not flash a progress line. */
const PROGRESS_DELAY_MS = 300;

export function isTerminal(session: AgenticSession): boolean {
  return TERMINAL_SESSION_PHASES.includes(session.status?.phase ?? 'Pending');
}

/** Completed, or stopped by a user: success. Failed, or stopped by a timeout or an error: failure. */
export function exitCodeForPhase(session: AgenticSession): number {
  const status = session.status;
  if (status?.phase === 'Failed') return EXIT_FAILURE;
  if (status?.phase === 'Stopped' && status.stoppedReason && status.stoppedReason !== 'user')
    return EXIT_FAILURE;
  return EXIT_OK;
}

export function describePhase(session: AgenticSession): string {
  const status = session.status;
  const reason = status?.stoppedReason ? ` (${status.stoppedReason})` : '';
  const message = status?.message && status.phase !== 'Completed' ? `: ${status.message}` : '';
  return `session ${session.metadata.name} ${status?.phase ?? 'Pending'}${reason}${message}`;
}

function endsRun(event: SessionEvent): boolean {
  return event.type === EventType.RUN_FINISHED || event.type === EventType.RUN_ERROR;
}

export async function watchSession(context: CliContext, request: WatchRequest): Promise<number> {
  const client = context.client();
  const { output } = context;
  const interrupt = context.interruptSignal();
  const stream = new AbortController();
  const stopStream = (): void => stream.abort();
  interrupt.addEventListener('abort', stopStream, { once: true });

  const renderer = new EventRenderer({ color: output.color });
  const progress = new Progress(output);
  const state = {
    lastEventAtMs: Date.now(),
    firstEventSeen: false,
    exitCode: undefined as number | undefined,
  };
  let started = request.fromMessageId === undefined;
  // The note appears only if nothing arrives soon (a fast replay should not flash it), and then
  // follows the session's phase.
  let waitingNoteVisible = false;
  let phase: string | undefined;
  const showWaiting = (): void => {
    if (waitingNoteVisible && !state.firstEventSeen)
      progress.show(`waiting for the runner…${phase ? ` (${phase})` : ''}`);
  };
  const progressTimer = setTimeout(() => {
    waitingNoteVisible = true;
    showWaiting();
  }, PROGRESS_DELAY_MS);
  const poll = pollUntilTerminal(
    client,
    request,
    stream,
    (session) => {
      phase = session.status?.phase ?? 'Pending';
      showWaiting();
    },
    () => state.lastEventAtMs,
  );

  try {
    const events = client.sessions.events(request.project, request.name, {
      afterSeq: request.afterSeq,
      // Scripts reading --json get every event as recorded; people get the compact replay.
      compact: !request.json,
      signal: stream.signal,
      onReconnect: ({ attempt }) => {
        if (!request.json) output.out(renderer.finish());
        output.err(`connection lost; reconnecting (attempt ${attempt})…\n`);
      },
    });
    const print = (event: SessionEvent): void =>
      output.out(request.json ? `${JSON.stringify(event)}\n` : renderer.render(event));
    // The RUN_STARTED just before the awaited message's echo belongs to its run: keep it to print.
    let runStart: SessionEvent | undefined;
    for await (const event of events) {
      state.lastEventAtMs = Date.now();
      if (!started) {
        started =
          event.type === EventType.TEXT_MESSAGE_START &&
          event['messageId'] === request.fromMessageId;
        if (!started) {
          runStart = event.type === EventType.RUN_STARTED ? event : undefined;
          continue;
        }
      }
      if (!state.firstEventSeen) {
        state.firstEventSeen = true;
        progress.clear();
      }
      if (runStart) print(runStart);
      runStart = undefined;
      print(event);
      if (request.until === 'run' && endsRun(event)) {
        state.exitCode = event.type === EventType.RUN_ERROR ? EXIT_FAILURE : EXIT_OK;
        break;
      }
    }
  } finally {
    clearTimeout(progressTimer);
    stream.abort();
    interrupt.removeEventListener('abort', stopStream);
  }
  progress.clear();
  if (!request.json) output.out(renderer.finish());
  if (interrupt.aborted) return EXIT_INTERRUPTED;

  const ended = await poll;
  if (state.exitCode !== undefined) return state.exitCode;
  if (ended instanceof Error) throw ended;
  if (ended) {
    const note = `${describePhase(ended)}\n`;
    // In --json mode stdout carries only events.
    if (request.json) output.err(note);
    else output.out(note);
    return exitCodeForPhase(ended);
  }
  return EXIT_OK;
}

/**
 * Polls the session until it is terminal and the stream has drained, then aborts the stream.
 * Resolves with the terminal session, an Error when the session vanished, or undefined when the
 * watch ended for another reason first.
 */
async function pollUntilTerminal(
  client: AmbientClient,
  request: WatchRequest,
  stream: AbortController,
  onPhase: (session: AgenticSession) => void,
  lastEventAtMs: () => number,
): Promise<AgenticSession | Error | undefined> {
  const { signal } = stream;
  while (!signal.aborted) {
    let session: AgenticSession;
    try {
      session = await client.sessions.get(request.project, request.name, { signal });
    } catch (error) {
      if (signal.aborted) return undefined;
      if (error instanceof ClientError && error.status === 404) {
        stream.abort();
        return new Error(`session ${request.name} was deleted`);
      }
      // A transient failure: the event stream reconnects on its own, the next poll retries.
      await delay(PHASE_POLL_INTERVAL_MS, signal);
      continue;
    }
    onPhase(session);
    if (isTerminal(session)) {
      while (!signal.aborted && Date.now() - lastEventAtMs() < DRAIN_QUIET_MS) {
        await delay(DRAIN_QUIET_MS / 4, signal);
      }
      stream.abort();
      return session;
    }
    await delay(PHASE_POLL_INTERVAL_MS, signal);
  }
  return undefined;
}

function delay(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, milliseconds);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
