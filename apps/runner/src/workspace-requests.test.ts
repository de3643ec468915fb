/** The runner's answers to workspace requests: served from its directory, bounded, never thrown. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runnerToServerSchema } from '@ambient/contracts';
import { silentLogger } from './log.ts';
import { workspaceRequestHandler, workspaceResponseFrame } from './workspace-requests.ts';

describe('workspace requests on the runner', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'runner-workspace-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const parse = (frame: string) => runnerToServerSchema.parse(JSON.parse(frame));

  it('answers from the workspace directory with a valid workspace_response of the same id', async () => {
    writeFileSync(join(directory, 'hello.txt'), 'hi');
    const frame = parse(await workspaceResponseFrame('id-1', { op: 'read', path: 'hello.txt' }, workspaceRequestHandler(directory), silentLogger));
    expect(frame).toEqual({ type: 'workspace_response', id: 'id-1', result: { kind: 'file', path: 'hello.txt', contentBase64: Buffer.from('hi').toString('base64') } });
  });

  it('says so when it serves no workspace, and when the handler fails', async () => {
    expect(parse(await workspaceResponseFrame('a', { op: 'read', path: '' }, undefined, silentLogger))).toMatchObject({ result: { kind: 'error', code: 'unavailable' } });
    const failing = () => Promise.reject(new Error('/secret/host/path exploded'));
    const frame = parse(await workspaceResponseFrame('b', { op: 'read', path: '' }, failing, silentLogger));
    expect(frame).toEqual({ type: 'workspace_response', id: 'b', result: { kind: 'error', code: 'internal', message: 'the workspace request failed' } });
  });

  it('replaces an answer too large for the channel by an error', async () => {
    writeFileSync(join(directory, 'big.txt'), 'x'.repeat(3000));
    const frame = parse(await workspaceResponseFrame('c', { op: 'read', path: 'big.txt' }, workspaceRequestHandler(directory), silentLogger, 2000));
    expect(frame).toMatchObject({ id: 'c', result: { kind: 'error', code: 'payload_too_large' } });
  });
});
