/**
 * The cluster adapter's routing: to the runner connected here, else through the relay, else to a
 * workspace viewer it asks for and waits for (bounded). Connections are stand-ins registered on the
 * real registry; the wire is covered by runner-channel-workspace.test.ts and the contract suite.
 */
import { describe, expect, it } from 'vitest';
import { WORKSPACE_FILE_MAX_BYTES } from '@ambient/contracts';
import type { WorkspaceRequest, WorkspaceResult } from '@ambient/contracts';
import { PlatformError } from '@ambient/core';
import type { WorkspaceRelay, WorkspaceRelayOptions, WorkspaceRelayServer, WorkspaceSession } from '@ambient/core';
import { createLogger } from '@ambient/logger';
import { RunnerWorkspaceFiles } from './runner-workspace-files.ts';
import { WorkspaceConnections } from './workspace-connections.ts';

const logger = createLogger('test', { level: 'silent' });
const session: WorkspaceSession = { project: 'p1', sessionName: 's1', sessionUid: 'uid-1', runCount: 1 };

/** Registers a stand-in runner that answers every request with a listing of the requested path. */
function connectRunner(connections: WorkspaceConnections, sessionUid = session.sessionUid): void {
  const handle = connections.register(sessionUid, 'viewer', (frame) => {
    if (frame.type !== 'workspace_request') return;
    queueMicrotask(() => handle.deliver(frame.id, { kind: 'directory', path: frame.request.path, items: [] }));
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  return PlatformError.isInstance(error) ? error.code : `not a platform error: ${String(error)}`;
}

describe('RunnerWorkspaceFiles', () => {
  it('answers for a session that never ran without asking anyone', async () => {
    const requested: string[] = [];
    const files = new RunnerWorkspaceFiles({ connections: new WorkspaceConnections(), logger, requestViewer: async (s) => void requested.push(s.sessionName) });
    const fresh = { ...session, runCount: 0 };
    expect(await files.read(fresh, '')).toEqual({ kind: 'directory', path: '', items: [] });
    expect(await codeOf(files.read(fresh, 'a.txt'))).toBe('not_found');
    expect(await codeOf(files.write(fresh, 'a.txt', new Uint8Array(1)))).toBe('conflict');
    expect(await codeOf(files.delete(fresh, 'a.txt'))).toBe('not_found');
    expect(requested).toEqual([]);
  });

  it('asks the runner connected here', async () => {
    const connections = new WorkspaceConnections();
    connectRunner(connections);
    const files = new RunnerWorkspaceFiles({ connections, logger, requestViewer: () => Promise.reject(new Error('not expected')) });
    expect(await files.read(session, 'artifacts')).toEqual({ kind: 'directory', path: 'artifacts', items: [] });
  });

  it('asks for a viewer when no runner is connected, and answers once it connects', async () => {
    const connections = new WorkspaceConnections();
    const requested: string[] = [];
    const files = new RunnerWorkspaceFiles({
      connections,
      logger,
      requestViewer: async (s) => {
        requested.push(s.sessionName);
        setTimeout(() => connectRunner(connections), 50);
      },
    });
    expect(await files.read(session, 'x')).toEqual({ kind: 'directory', path: 'x', items: [] });
    expect(requested).toEqual(['s1']);
  });

  it('gives up after the connect timeout with a retryable 503, asking again meanwhile', async () => {
    let requests = 0;
    const files = new RunnerWorkspaceFiles({
      connections: new WorkspaceConnections(),
      logger,
      connectTimeoutMs: 350,
      viewerRequestIntervalMs: 100,
      requestViewer: async () => void (requests += 1),
    });
    const error = await files.read(session, '').then(() => undefined, (reason: unknown) => reason);
    expect(PlatformError.isInstance(error) && [error.code, error.isRetryable, error.message]).toEqual(['unavailable', true, expect.stringMatching(/starting the workspace viewer.*retry shortly/)]);
    expect(requests).toBeGreaterThanOrEqual(2);
  });

  it('refuses an oversized write before it travels', async () => {
    const connections = new WorkspaceConnections();
    connectRunner(connections);
    const files = new RunnerWorkspaceFiles({ connections, logger, requestViewer: async () => undefined });
    expect(await codeOf(files.write(session, 'big.bin', new Uint8Array(WORKSPACE_FILE_MAX_BYTES + 1)))).toBe('payload_too_large');
  });

  it('with a relay: forwards what it cannot serve, serves for others, and claims waiting requests on connect', async () => {
    const connections = new WorkspaceConnections();
    const forwarded: WorkspaceRequest[] = [];
    const claimed: string[] = [];
    let server: WorkspaceRelayServer | undefined;
    let unclaimed = 0;
    const relay: WorkspaceRelay = {
      async forward(_uid, request, options: WorkspaceRelayOptions): Promise<WorkspaceResult> {
        forwarded.push(request);
        options.onUnclaimed();
        return { kind: 'deleted', path: request.path };
      },
      serve(relayServer) {
        server = relayServer;
        return () => (server = undefined);
      },
      claimWaiting: (uid) => void claimed.push(uid),
      close: async () => undefined,
    };
    const files = new RunnerWorkspaceFiles({ connections, relay, logger, requestViewer: async () => void (unclaimed += 1) });
    await files.delete(session, 'remote.txt');
    expect(forwarded).toEqual([{ op: 'delete', path: 'remote.txt' }]);
    expect(unclaimed).toBe(1);
    expect(server?.holds('uid-1')).toBe(false);
    connectRunner(connections);
    expect(claimed).toEqual(['uid-1']);
    expect(server?.holds('uid-1')).toBe(true);
    expect(await server?.handle('uid-1', { op: 'read', path: 'p' })).toEqual({ kind: 'directory', path: 'p', items: [] });
    expect(await server?.handle('uid-2', { op: 'read', path: 'p' })).toMatchObject({ kind: 'error', code: 'unavailable' });
    files.close();
    expect(server).toBeUndefined();
  });
});
