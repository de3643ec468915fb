/**
 * WorkspaceFiles: list, read, write and delete the files of a session's workspace (the web UI's
 * file browser). Embedded: the workspace directory on this machine (directory-workspace.ts).
 * Cluster: the workspace is a PVC only the session's runner (or an on-demand workspace viewer)
 * mounts, so requests travel over the runner channel (docs/adr/0010).
 *
 * Confinement is the same everywhere: a path is relative to the workspace root, never leaves it
 * (no `..`, absolute path or symbolic link out), and never shows runner internals (.ambient, .claude).
 * `confinedRelativePath` is checked by the API server before a request goes anywhere and again by
 * whoever touches the files.
 */
import { posix } from 'node:path';
import type { WorkspaceEntry, WorkspaceRequest, WorkspaceResult } from '@ambient/contracts';
import { ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import type { Unsubscribe } from './resource-store.ts';

/** Runner internals at the workspace root: the outbox, cursors, HOME, Claude Code's state. */
export const HIDDEN_WORKSPACE_ENTRIES: ReadonlySet<string> = new Set(['.ambient', '.claude']);

/** The session whose workspace a request is for (what the adapters need to find it). */
export interface WorkspaceSession {
  project: string;
  sessionName: string;
  sessionUid: string;
  /** Runs started so far; 0 means the session never ran (cluster mode has no volume for it yet). */
  runCount: number;
}

export type WorkspaceReadResult =
  | { kind: 'directory'; path: string; items: WorkspaceEntry[] }
  | { kind: 'file'; path: string; content: Uint8Array };

export interface WorkspaceFiles {
  /** A directory reads as its listing (directories first, then by name), a file as its bytes. */
  read(session: WorkspaceSession, relativePath: string): Promise<WorkspaceReadResult>;
  /** Creates missing parent directories; replaces an existing file. */
  write(session: WorkspaceSession, relativePath: string, content: Uint8Array): Promise<{ path: string; size: number }>;
  /** Removes a file, or a directory with its content. */
  delete(session: WorkspaceSession, relativePath: string): Promise<void>;
}

/** Whether a normalised relative path lies in (or is) a hidden entry of the root. */
export function isHiddenWorkspacePath(relativePath: string): boolean {
  return HIDDEN_WORKSPACE_ENTRIES.has(relativePath.split('/')[0] ?? '');
}

/**
 * Checks a client path and returns it normalised, relative to the workspace root ('' is the root).
 * Throws ValidationError (NUL, absolute), ForbiddenError (leaves the root) or NotFoundError (hidden).
 */
export function confinedRelativePath(raw: string): string {
  const withoutLeadingSlashes = raw.replace(/^\/+/, '');
  if (withoutLeadingSlashes.includes('\0')) throw new ValidationError('the path contains a NUL byte');
  // A backslash is an ordinary character on Linux, but a Windows-minded client means a separator.
  if (withoutLeadingSlashes.includes('\\')) throw new ValidationError('the path must use "/" as separator');
  const normalised = posix.normalize(withoutLeadingSlashes === '' ? '.' : withoutLeadingSlashes);
  if (normalised === '..' || normalised.startsWith('../') || posix.isAbsolute(normalised)) {
    throw new ForbiddenError('the path leaves the workspace');
  }
  const relativePath = normalised === '.' ? '' : normalised.replace(/\/+$/, '');
  if (isHiddenWorkspacePath(relativePath)) {
    throw new NotFoundError(`no such file in the workspace: ${relativePath}`);
  }
  return relativePath;
}

/**
 * Carries workspace requests to the API replica that holds the session's runner connection
 * (cluster mode runs several replicas; a runner is connected to one). Adapter: PostgreSQL
 * (runtime-postgres/workspace-relay.ts).
 */
export interface WorkspaceRelay {
  /**
   * Hands `request` to whichever replica holds (or comes to hold, within `connectTimeoutMs`) a
   * connection of the session; `onUnclaimed` is called, repeatedly, while none has taken it.
   * Throws `unavailable` when no replica took it in time or its runner did not answer.
   */
  forward(sessionUid: string, request: WorkspaceRequest, options: WorkspaceRelayOptions): Promise<WorkspaceResult>;
  /** Serves relayed requests for the sessions this replica holds a connection of. */
  serve(server: WorkspaceRelayServer): Unsubscribe;
  /** A runner of the session connected here: take the requests that are waiting for one. */
  claimWaiting(sessionUid: string): void;
  close(): Promise<void>;
}

export interface WorkspaceRelayOptions {
  connectTimeoutMs: number;
  /** After a replica took the request, how long its runner has to answer. */
  exchangeTimeoutMs: number;
  onUnclaimed(): void;
}

export interface WorkspaceRelayServer {
  holds(sessionUid: string): boolean;
  handle(sessionUid: string, request: WorkspaceRequest): Promise<WorkspaceResult>;
}
