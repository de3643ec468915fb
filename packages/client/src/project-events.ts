/**
 * The project's session changes (GET /api/projects/{project}/events), for list views. The stream
 * starts with a `reset` frame (the whole list) and then sends one `session` frame per change; each
 * frame's `id:` is the store resourceVersion it reflects, so a reconnect with `Last-Event-ID` = the
 * last id resumes the watch exactly. When the server no longer remembers that version it starts
 * with a `reset` again: readers replace their list then, so they never miss a change.
 */
import { projectEventFrameSchema } from '@ambient/contracts/api-routes/stream-schemas';
import type { z } from 'zod';
import { InvalidResponseError } from './errors.ts';
import { followSse, frameJson } from './sse.ts';
import type { EventSourceMessage, SseFollowOptions, SseReconnect } from './sse.ts';
import type { Transport } from './transport.ts';

export type ProjectEventFrame = z.infer<typeof projectEventFrameSchema>;
/** What a list view shows of a session (the frames' `session` and `sessions`). */
export type SessionListEntry = Extract<ProjectEventFrame, { type: 'session' }>['session'];

/** One frame, with the resourceVersion it reflects (its SSE id). */
export type ProjectEvent = ProjectEventFrame & { resourceVersion: string };

/** `signal`, `reconnect`, `maxReconnectAttempts`, `idleTimeoutMs` and `onConnected`: see SseFollowOptions. */
export interface ProjectEventsOptions extends SseFollowOptions {
  /** Called with every frame in order; a `reset` replaces the reader's list. */
  onEvent: (event: ProjectEvent) => void;
  /** Resume after this resourceVersion (a frame's id) instead of starting with a `reset`. */
  resourceVersion?: string;
  /** Told before each reconnect wait: the list is not live until onConnected says so again. */
  onReconnect?: (info: ProjectReconnectInfo) => void;
}

export interface ProjectReconnectInfo extends SseReconnect {
  /** The version the next connection resumes after (undefined: it starts with a reset). */
  resourceVersion: string | undefined;
}

/**
 * Follows the stream until `signal` aborts (resolves) or it cannot go on (rejects: 4xx, a malformed
 * frame, or `maxReconnectAttempts` failed connections in a row).
 */
export async function followProjectEvents(
  transport: Transport,
  path: string,
  options: ProjectEventsOptions,
): Promise<void> {
  let cursor = options.resourceVersion;
  const frames = followSse(transport, path, () => cursor, {
    ...options,
    onReconnect: (info) => options.onReconnect?.({ ...info, resourceVersion: cursor }),
  });
  for await (const message of frames) {
    const event = parseProjectEvent(message);
    cursor = event.resourceVersion;
    options.onEvent(event);
  }
}

export function parseProjectEvent(message: EventSourceMessage): ProjectEvent {
  const what = `project event ${message.id ?? '(no id)'}`;
  const parsed = projectEventFrameSchema.safeParse(frameJson(message, what));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidResponseError(
      `${what} is not a valid frame${issue ? `: ${issue.message}` : ''}`,
    );
  }
  const resourceVersion =
    message.id || (parsed.data.type === 'reset' ? parsed.data.resourceVersion : '');
  if (!resourceVersion) throw new InvalidResponseError(`${what} has no id (its resourceVersion)`);
  return { ...parsed.data, resourceVersion };
}
