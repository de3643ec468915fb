/** Requests and results on the wire: served from a directory, turned back into results or errors. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workspaceResultSchema } from '@ambient/contracts';
import { DirectoryWorkspace } from './directory-workspace.ts';
import { PlatformError } from './errors.ts';
import { deleteResultOf, readResultOf, serveWorkspaceRequest, toWorkspaceRequest, workspaceErrorResult, writeResultOf } from './workspace-exchange.ts';

describe('workspace exchange', () => {
  let root: string;
  let workspace: DirectoryWorkspace;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'workspace-exchange-'));
    workspace = new DirectoryWorkspace(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('round-trips a write, a read, a listing and a delete as valid wire results', async () => {
    const content = Buffer.from([0, 200, 10, 255]);
    const written = await serveWorkspaceRequest(workspace, toWorkspaceRequest('write', 'a/b.bin', content));
    expect(workspaceResultSchema.parse(written)).toEqual({ kind: 'written', path: 'a/b.bin', size: 4 });
    expect(writeResultOf(written)).toEqual({ path: 'a/b.bin', size: 4 });
    const read = readResultOf(workspaceResultSchema.parse(await serveWorkspaceRequest(workspace, toWorkspaceRequest('read', 'a/b.bin'))));
    expect(read.kind === 'file' && Buffer.from(read.content)).toEqual(content);
    const listing = readResultOf(await serveWorkspaceRequest(workspace, toWorkspaceRequest('read', 'a')));
    expect(listing.kind === 'directory' && listing.items.map((item) => item.name)).toEqual(['b.bin']);
    deleteResultOf(await serveWorkspaceRequest(workspace, toWorkspaceRequest('delete', 'a')));
    await expect(serveWorkspaceRequest(workspace, toWorkspaceRequest('read', 'a'))).resolves.toMatchObject({ kind: 'error', code: 'not_found' });
  });

  it('answers failures as error results that become the same platform errors', async () => {
    mkdirSync(join(root, '.ambient'));
    writeFileSync(join(root, '.ambient', 'outbox.jsonl'), 'x');
    const cases = [
      [toWorkspaceRequest('read', '../x'), 'forbidden'],
      [toWorkspaceRequest('read', '.ambient/outbox.jsonl'), 'not_found'],
      [toWorkspaceRequest('delete', ''), 'bad_request'],
    ] as const;
    for (const [request, code] of cases) {
      const result = await serveWorkspaceRequest(workspace, request);
      expect(result).toMatchObject({ kind: 'error', code });
      let thrown: unknown;
      try {
        readResultOf(result);
      } catch (error) {
        thrown = error;
      }
      expect(PlatformError.isInstance(thrown) && thrown.code).toBe(code);
    }
  });

  it('keeps the message of platform errors only', () => {
    expect(workspaceErrorResult(new PlatformError('not_found', 'no such file in the workspace: x'))).toEqual({ kind: 'error', code: 'not_found', message: 'no such file in the workspace: x' });
    expect(workspaceErrorResult(new Error('EACCES: /var/lib/kubelet/secret-path'))).toEqual({ kind: 'error', code: 'internal', message: 'the workspace request failed' });
    expect(workspaceErrorResult(new PlatformError('gone', 'x'))).toMatchObject({ code: 'internal' });
  });

  it('marks an unavailable answer as retryable and refuses an answer of the wrong kind', () => {
    let thrown: unknown;
    try {
      writeResultOf({ kind: 'error', code: 'unavailable', message: 'later' });
    } catch (error) {
      thrown = error;
    }
    expect(PlatformError.isInstance(thrown) && thrown.isRetryable).toBe(true);
    expect(() => writeResultOf({ kind: 'deleted', path: 'x' })).toThrow(/answered a write with "deleted"/);
  });
});
