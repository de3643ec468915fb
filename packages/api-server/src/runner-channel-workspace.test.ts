/**
 * Workspace requests on the server side of the runner channel, over real WebSockets: viewer tokens,
 * the precedence of a run over a viewer, and request/response routing.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AgenticSessionKind, ProjectKind, RUNNER_CHANNEL_PATH } from '@ambient/contracts';
import type { AgenticSession, ServerToRunner } from '@ambient/contracts';
import { mintRunnerToken, mintWorkspaceViewerToken } from '@ambient/core';
import type { Stored } from '@ambient/core';
import type { ApiDeps } from './deps.ts';
import { attachRunnerChannel, CHANNEL_CLOSE } from './runner-channel.ts';
import { createTestDeps } from './test-support/embedded-deps.ts';
import { WorkspaceConnections } from './workspace-connections.ts';

const SECRET = 'channel-workspace-test-secret';

describe('runner channel: workspace requests and viewers', () => {
  let closeDatabase: () => void;
  let deps: ApiDeps;
  let server: Server;
  let url: string;
  let session: Stored<AgenticSession>;
  let connections: WorkspaceConnections;
  let closeChannel: () => void;
  const sockets: WebSocket[] = [];

  async function listen(withWorkspace: boolean): Promise<void> {
    connections = new WorkspaceConnections();
    server = createServer((_request, response) => response.end());
    closeChannel = attachRunnerChannel(server, deps, withWorkspace ? { workspaceConnections: connections } : {}).close;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${RUNNER_CHANNEL_PATH}`;
  }

  beforeEach(async () => {
    ({ deps, close: closeDatabase } = createTestDeps({ runnerTokenSecret: SECRET }));
    await deps.store.create(ProjectKind, { metadata: { name: 'p1' }, spec: {} });
    const created = await deps.store.create(AgenticSessionKind, { metadata: { name: 's1', namespace: 'p1' }, spec: { interactive: true } });
    session = await deps.store.patchStatus(AgenticSessionKind, 'p1', 's1', { phase: 'Completed', runCount: 1 }, { resourceVersion: created.metadata.resourceVersion });
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.terminate();
    closeChannel();
    await new Promise((resolve) => server.close(resolve));
    closeDatabase();
  });

  const exp = () => Math.floor(Date.now() / 1000) + 600;
  const viewerToken = (sessionUid = session.metadata.uid) => mintWorkspaceViewerToken({ project: 'p1', sessionName: 's1', sessionUid, exp: exp() }, SECRET);
  const runToken = () => mintRunnerToken({ project: 'p1', sessionName: 's1', sessionUid: session.metadata.uid, runNumber: 1, exp: exp() }, SECRET);

  /** A connected peer that said hello and answers every workspace request with `answer`. */
  function peer(bearer: string, answer?: (frame: Extract<ServerToRunner, { type: 'workspace_request' }>) => unknown) {
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${bearer}` } });
    sockets.push(socket);
    const frames: ServerToRunner[] = [];
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerToRunner;
      frames.push(frame);
      if (frame.type === 'workspace_request' && answer) socket.send(JSON.stringify({ type: 'workspace_response', id: frame.id, result: answer(frame) }));
    });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', runnerId: 'peer' })));
    socket.on('error', () => undefined);
    const closed = new Promise<{ code: number; status?: number }>((resolve) => {
      socket.on('unexpected-response', (_request, response) => resolve({ code: 0, status: response.statusCode }));
      socket.on('close', (code) => resolve({ code }));
    });
    return { socket, frames, closed };
  }

  async function until(predicate: () => boolean, what: string): Promise<void> {
    const started = Date.now();
    while (!predicate()) {
      if (Date.now() - started > 5_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('refuses a viewer token where workspace requests do not travel over the channel', async () => {
    await listen(false);
    expect((await peer(viewerToken()).closed).status).toBe(401);
  });

  it('lets a viewer serve workspace requests and nothing else', async () => {
    await listen(true);
    const viewer = peer(viewerToken(), (frame) => ({ kind: 'directory', path: frame.request.path, items: [] }));
    await until(() => connections.has(session.metadata.uid) && viewer.frames.length > 0, 'the viewer to register');
    expect(viewer.frames[0]).toEqual({ type: 'welcome', lastProducerSeq: 0, lastCommandCursor: 0 });
    expect(connections.get(session.metadata.uid)?.kind).toBe('viewer');
    expect(await connections.get(session.metadata.uid)!.request({ op: 'read', path: 'artifacts' }, 5_000)).toEqual({ kind: 'directory', path: 'artifacts', items: [] });
    viewer.socket.send(JSON.stringify({ type: 'events', events: [{ producerSeq: 1, event: { type: 'RUN_STARTED', threadId: 't', runId: 'r' } }] }));
    expect((await viewer.closed).code).toBe(CHANNEL_CLOSE.resync);
    expect(await deps.events.read(session.metadata.uid)).toEqual([]);
    await until(() => !connections.has(session.metadata.uid), 'the viewer to unregister');
  });

  it('turns away the viewer of a re-created session', async () => {
    await listen(true);
    expect((await peer(viewerToken('another-uid')).closed).code).toBe(CHANNEL_CLOSE.gone);
  });

  it('gives a run precedence: its connection ends the viewer, and no viewer joins while it is there', async () => {
    await listen(true);
    const viewer = peer(viewerToken());
    await until(() => connections.get(session.metadata.uid)?.kind === 'viewer', 'the viewer to register');
    const run = peer(runToken(), () => ({ kind: 'deleted', path: 'x' }));
    expect((await viewer.closed).code).toBe(CHANNEL_CLOSE.superseded);
    await until(() => connections.get(session.metadata.uid)?.kind === 'run', 'the run to register');
    expect(await connections.get(session.metadata.uid)!.request({ op: 'delete', path: 'x' }, 5_000)).toEqual({ kind: 'deleted', path: 'x' });
    expect((await peer(viewerToken()).closed).code).toBe(CHANNEL_CLOSE.superseded);
    expect(connections.get(session.metadata.uid)?.kind).toBe('run');
    run.socket.close();
    await until(() => !connections.has(session.metadata.uid), 'the run to unregister');
  });
});
