/**
 * The runner's side of workspace file requests (docs/adr/0010): the API server cannot mount the
 * workspace volume in cluster mode, so it asks the runner (or the workspace viewer) over the
 * channel. The files are served by core's DirectoryWorkspace, the same code and confinement rules
 * as the embedded platform's (no `..` or link out of the workspace, .ambient and .claude hidden).
 */
import type { RunnerToServer, WorkspaceRequest, WorkspaceResult } from '@ambient/contracts';
import { DirectoryWorkspace, serveWorkspaceRequest } from '@ambient/core';
import type { Logger } from './log.ts';
import { describeError } from './redact.ts';

export type WorkspaceRequestHandler = (request: WorkspaceRequest) => Promise<WorkspaceResult>;

/** Below the server's 16 MiB frame limit: a larger frame would close the whole channel. */
export const MAX_WORKSPACE_FRAME_BYTES = 15 * 1024 * 1024;

export function workspaceRequestHandler(workspaceDir: string): WorkspaceRequestHandler {
  const workspace = new DirectoryWorkspace(workspaceDir);
  return (request) => serveWorkspaceRequest(workspace, request);
}

/** The serialised `workspace_response` for one request; never throws. */
export async function workspaceResponseFrame(
  id: string,
  request: WorkspaceRequest,
  handler: WorkspaceRequestHandler | undefined,
  log: Logger,
  maxFrameBytes: number = MAX_WORKSPACE_FRAME_BYTES,
): Promise<string> {
  let result: WorkspaceResult = { kind: 'error', code: 'unavailable', message: 'this runner does not serve workspace files' };
  if (handler) {
    try {
      result = await handler(request);
    } catch (error) {
      log.warn(`workspace ${request.op} failed: ${describeError(error)}`);
      result = { kind: 'error', code: 'internal', message: 'the workspace request failed' };
    }
  }
  const frame = JSON.stringify({ type: 'workspace_response', id, result } satisfies RunnerToServer);
  if (Buffer.byteLength(frame) <= maxFrameBytes) return frame;
  const tooLarge: WorkspaceResult = { kind: 'error', code: 'payload_too_large', message: 'the answer is too large for the runner channel' };
  return JSON.stringify({ type: 'workspace_response', id, result: tooLarge } satisfies RunnerToServer);
}
