/**
 * Workspace file requests as they travel to the process that can reach a session's workspace: in
 * cluster mode the runner (or an on-demand workspace viewer) over the runner channel, and between
 * API replicas through the PostgreSQL relay (docs/adr/0010-workspace-files-in-cluster-mode.md).
 *
 * Paths are relative to the workspace root ('' is the root); both ends check them (see
 * core/workspace-files.ts). File content travels base64-encoded, at most WORKSPACE_FILE_MAX_BYTES.
 */
import { z } from 'zod';
import { workspaceEntrySchema } from './api-routes/schemas.ts';

/** The largest file the workspace routes read or write, in every mode. */
export const WORKSPACE_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** Base64 of WORKSPACE_FILE_MAX_BYTES bytes. */
const MAX_BASE64_LENGTH = Math.ceil(WORKSPACE_FILE_MAX_BYTES / 3) * 4;
const MAX_PATH_LENGTH = 4096;

const relativePathSchema = z.string().max(MAX_PATH_LENGTH);
const base64Schema = z.string().max(MAX_BASE64_LENGTH).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');

export const workspaceRequestSchema = z.discriminatedUnion('op', [
  /** A directory reads as its listing, a file as its bytes. */
  z.object({ op: z.literal('read'), path: relativePathSchema }),
  /** Creates missing parent directories; replaces an existing file. */
  z.object({ op: z.literal('write'), path: relativePathSchema, contentBase64: base64Schema }),
  /** A directory is removed with its content. */
  z.object({ op: z.literal('delete'), path: relativePathSchema }),
]);
export type WorkspaceRequest = z.infer<typeof workspaceRequestSchema>;

/** Error codes a workspace request can end with (a subset of the platform's error codes). */
export const workspaceErrorCodeSchema = z.enum([
  'bad_request',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unavailable',
  'internal',
]);
export type WorkspaceErrorCode = z.infer<typeof workspaceErrorCodeSchema>;

export const workspaceResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('directory'), path: relativePathSchema, items: z.array(workspaceEntrySchema) }),
  z.object({ kind: z.literal('file'), path: relativePathSchema, contentBase64: base64Schema }),
  z.object({ kind: z.literal('written'), path: relativePathSchema, size: z.number().int().min(0) }),
  z.object({ kind: z.literal('deleted'), path: relativePathSchema }),
  z.object({ kind: z.literal('error'), code: workspaceErrorCodeSchema, message: z.string().max(1000) }),
]);
export type WorkspaceResult = z.infer<typeof workspaceResultSchema>;

/** An id per request on one connection (or relay row), so responses may arrive in any order. */
export const workspaceRequestIdSchema = z.string().min(1).max(100);

/** Server → runner. */
export const workspaceRequestFrameSchema = z.object({
  type: z.literal('workspace_request'),
  id: workspaceRequestIdSchema,
  request: workspaceRequestSchema,
});

/** Runner → server. */
export const workspaceResponseFrameSchema = z.object({
  type: z.literal('workspace_response'),
  id: workspaceRequestIdSchema,
  result: workspaceResultSchema,
});

/** What the runner's main starts: a session run (default) or the workspace viewer. */
export const RUNNER_MODE = {
  run: 'run',
  /** Serves the session's workspace files over the channel and exits when idle (cluster mode). */
  serveWorkspace: 'serve-workspace',
} as const;

export type WorkspaceEntry = z.infer<typeof workspaceEntrySchema>;
