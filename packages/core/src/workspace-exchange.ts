/**
 * Workspace requests as messages (contracts/workspace-protocol.ts) on both ends of the runner
 * channel: the runner answers them from its directory (`serveWorkspaceRequest`), the API server
 * turns the answers back into WorkspaceFiles results or platform errors (`readResultOf`, ...).
 * Both ends use these, so an error means the same thing on either side of the wire.
 */
import { workspaceErrorCodeSchema } from '@ambient/contracts';
import type { WorkspaceRequest, WorkspaceResult } from '@ambient/contracts';
import type { DirectoryWorkspace } from './directory-workspace.ts';
import { PlatformError } from './errors.ts';
import type { ErrorCode } from './errors.ts';
import type { WorkspaceReadResult } from './workspace-files.ts';

/** Carries out one request on `workspace`; never throws (failures are `error` results). */
export async function serveWorkspaceRequest(workspace: DirectoryWorkspace, request: WorkspaceRequest): Promise<WorkspaceResult> {
  try {
    switch (request.op) {
      case 'read': {
        const result = await workspace.read(request.path);
        if (result.kind === 'directory') return result;
        return { kind: 'file', path: result.path, contentBase64: Buffer.from(result.content).toString('base64') };
      }
      case 'write': {
        const written = await workspace.write(request.path, Buffer.from(request.contentBase64, 'base64'));
        return { kind: 'written', ...written };
      }
      case 'delete':
        await workspace.delete(request.path);
        return { kind: 'deleted', path: request.path };
    }
  } catch (error) {
    return workspaceErrorResult(error);
  }
}

/** A failure as a result; only platform errors keep their message (others may name host paths). */
export function workspaceErrorResult(error: unknown): WorkspaceResult {
  if (PlatformError.isInstance(error)) {
    const code = workspaceErrorCodeSchema.safeParse(error.code);
    return { kind: 'error', code: code.success ? code.data : 'internal', message: error.message.slice(0, 1000) };
  }
  return { kind: 'error', code: 'internal', message: 'the workspace request failed' };
}

export function toWorkspaceRequest(op: 'read' | 'delete', path: string): WorkspaceRequest;
export function toWorkspaceRequest(op: 'write', path: string, content: Uint8Array): WorkspaceRequest;
export function toWorkspaceRequest(op: WorkspaceRequest['op'], path: string, content?: Uint8Array): WorkspaceRequest {
  if (op === 'write') return { op, path, contentBase64: Buffer.from(content ?? new Uint8Array()).toString('base64') };
  return { op, path };
}

export function readResultOf(result: WorkspaceResult): WorkspaceReadResult {
  if (result.kind === 'directory') return result;
  if (result.kind === 'file') return { kind: 'file', path: result.path, content: new Uint8Array(Buffer.from(result.contentBase64, 'base64')) };
  throw failureOf(result, 'read');
}

export function writeResultOf(result: WorkspaceResult): { path: string; size: number } {
  if (result.kind === 'written') return { path: result.path, size: result.size };
  throw failureOf(result, 'write');
}

export function deleteResultOf(result: WorkspaceResult): void {
  if (result.kind !== 'deleted') throw failureOf(result, 'delete');
}

function failureOf(result: WorkspaceResult, operation: string): PlatformError {
  if (result.kind !== 'error') return new PlatformError('internal', `the runner answered a ${operation} with "${result.kind}"`);
  const code: ErrorCode = result.code;
  return new PlatformError(code, result.message, { isRetryable: code === 'unavailable' });
}
