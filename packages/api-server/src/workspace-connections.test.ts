/** The registry of runner connections that serve workspace requests, and its request bookkeeping. */
import { describe, expect, it } from 'vitest';
import type { ServerToRunner } from '@ambient/contracts';
import { PlatformError } from '@ambient/core';
import { WorkspaceConnections } from './workspace-connections.ts';

function recorder() {
  const frames: ServerToRunner[] = [];
  return { frames, send: (frame: ServerToRunner) => frames.push(frame) };
}

async function failureOf(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  if (!PlatformError.isInstance(error)) throw new Error(`expected a PlatformError, got ${String(error)}`);
  return error;
}

describe('WorkspaceConnections', () => {
  it('sends a request with an id and settles it with the response of that id', async () => {
    const connections = new WorkspaceConnections();
    const { frames, send } = recorder();
    const handle = connections.register('uid-1', 'viewer', send);
    const first = connections.get('uid-1')!.request({ op: 'read', path: 'a' }, 5_000);
    const second = connections.get('uid-1')!.request({ op: 'read', path: 'b' }, 5_000);
    const [frameA, frameB] = frames;
    expect(frameA).toMatchObject({ type: 'workspace_request', request: { op: 'read', path: 'a' } });
    if (frameA?.type !== 'workspace_request' || frameB?.type !== 'workspace_request') throw new Error('no request frames');
    expect(frameA.id).not.toBe(frameB.id);
    handle.deliver(frameB.id, { kind: 'deleted', path: 'b' });
    handle.deliver(frameA.id, { kind: 'deleted', path: 'a' });
    handle.deliver('unknown-id', { kind: 'deleted', path: 'x' });
    expect(await first).toEqual({ kind: 'deleted', path: 'a' });
    expect(await second).toEqual({ kind: 'deleted', path: 'b' });
  });

  it('fails a request that gets no answer in time, or whose connection closes, as retryable unavailable', async () => {
    const connections = new WorkspaceConnections();
    const handle = connections.register('uid-1', 'run', recorder().send);
    const timedOut = await failureOf(connections.get('uid-1')!.request({ op: 'read', path: '' }, 20));
    expect([timedOut.code, timedOut.isRetryable]).toEqual(['unavailable', true]);
    const pending = connections.get('uid-1')!.request({ op: 'read', path: '' }, 5_000);
    handle.close();
    expect((await failureOf(pending)).message).toMatch(/disconnected/);
    expect(connections.has('uid-1')).toBe(false);
  });

  it('keeps the newest connection of a session when an older one closes late', () => {
    const connections = new WorkspaceConnections();
    const older = connections.register('uid-1', 'viewer', recorder().send);
    connections.register('uid-1', 'run', recorder().send);
    older.close();
    expect(connections.get('uid-1')?.kind).toBe('run');
  });

  it('tells waiters and listeners about a connection as it registers', async () => {
    const connections = new WorkspaceConnections();
    const announced: string[] = [];
    const stop = connections.onConnected((uid) => announced.push(uid));
    const waiting = connections.waitFor('uid-2', 5_000);
    connections.register('uid-1', 'viewer', recorder().send);
    connections.register('uid-2', 'viewer', recorder().send);
    expect((await waiting)?.sessionUid).toBe('uid-2');
    stop();
    connections.register('uid-3', 'viewer', recorder().send);
    expect(announced).toEqual(['uid-1', 'uid-2']);
    expect(await connections.waitFor('nobody', 20)).toBeUndefined();
  });
});
