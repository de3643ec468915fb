/**
 * The WorkspaceFiles contract: what the web UI's file browser relies on, whichever adapter serves
 * the files (embedded: the workspace directory; cluster: the session's runner or workspace viewer
 * over the runner channel, possibly through another API replica). Both must agree on listings,
 * bytes, errors and, above all, confinement: no `..`, no symbolic link out of the workspace, no
 * runner internals (.ambient, .claude).
 *
 * The harness exposes the workspace as a directory on this machine (the cluster adapter's runner
 * runs here in tests), so the suite plants links and checks effects on disk. Paths are passed to
 * the port raw, so adapters are checked on their own and not only behind the route's checks.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKSPACE_FILE_MAX_BYTES } from '@ambient/contracts';
import type { WorkspaceFiles, WorkspaceReadResult, WorkspaceSession } from '@ambient/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectPlatformError } from './assertions.ts';

export interface WorkspaceFilesHarness {
  files: WorkspaceFiles;
  /** A session that has run (its workspace exists). */
  session: WorkspaceSession;
  /** The session's workspace on this machine; the suite empties it before every test. */
  directory: string;
  cleanup(): Promise<void>;
}

export interface WorkspaceFilesContractOptions {
  /** Bound of one test (the cluster adapter may start a viewer process first). */
  timeoutMs?: number;
}

function listingOf(result: WorkspaceReadResult): { name: string; type: string }[] {
  if (result.kind !== 'directory') throw new Error(`expected a directory, got a ${result.kind}`);
  return result.items.map((item) => ({ name: item.name, type: item.type }));
}

function bytesOf(result: WorkspaceReadResult): Buffer {
  if (result.kind !== 'file') throw new Error(`expected a file, got a ${result.kind}`);
  return Buffer.from(result.content);
}

export function describeWorkspaceFilesContract(
  name: string,
  createHarness: () => Promise<WorkspaceFilesHarness>,
  options: WorkspaceFilesContractOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? 30_000;

  describe(`WorkspaceFiles contract: ${name}`, () => {
    let harness: WorkspaceFilesHarness;
    let files: WorkspaceFiles;
    let session: WorkspaceSession;
    let directory: string;
    let outside: string;

    beforeAll(async () => {
      harness = await createHarness();
      ({ files, session, directory } = harness);
    }, 120_000);
    afterAll(async () => {
      await harness?.cleanup();
    });
    beforeEach(() => {
      for (const entry of readdirSync(directory)) rmSync(join(directory, entry), { recursive: true, force: true });
      outside = mkdtempSync(join(tmpdir(), 'workspace-contract-outside-'));
      writeFileSync(join(outside, 'secret.txt'), 'not yours');
      return () => rmSync(outside, { recursive: true, force: true });
    });

    it('writes (creating parents), reads back the exact bytes, and replaces', async () => {
      const binary = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]);
      expect(await files.write(session, 'artifacts/deep/data.bin', binary)).toEqual({ path: 'artifacts/deep/data.bin', size: binary.length });
      expect(readFileSync(join(directory, 'artifacts/deep/data.bin'))).toEqual(binary);
      expect(bytesOf(await files.read(session, 'artifacts/deep/data.bin'))).toEqual(binary);
      await files.write(session, 'artifacts/deep/data.bin', Buffer.from('second'));
      expect(bytesOf(await files.read(session, 'artifacts/deep/data.bin')).toString()).toBe('second');
      await files.write(session, 'empty.txt', new Uint8Array());
      expect(bytesOf(await files.read(session, 'empty.txt')).length).toBe(0);
    }, timeoutMs);

    it('lists directories first, then by name, with sizes and times, and hides runner internals', async () => {
      mkdirSync(join(directory, '.ambient'), { recursive: true });
      writeFileSync(join(directory, '.ambient', 'outbox.jsonl'), 'internal');
      mkdirSync(join(directory, '.claude'), { recursive: true });
      mkdirSync(join(directory, 'repos'));
      writeFileSync(join(directory, 'b.txt'), 'bb');
      writeFileSync(join(directory, 'a.txt'), 'a');
      mkdirSync(join(directory, 'artifacts'));
      const root = await files.read(session, '');
      expect(listingOf(root)).toEqual([
        { name: 'artifacts', type: 'directory' },
        { name: 'repos', type: 'directory' },
        { name: 'a.txt', type: 'file' },
        { name: 'b.txt', type: 'file' },
      ]);
      if (root.kind !== 'directory') return;
      expect(root.path).toBe('');
      const entry = root.items.find((item) => item.name === 'b.txt');
      expect(entry).toMatchObject({ path: 'b.txt', size: 2 });
      expect(Number.isNaN(Date.parse(entry?.modifiedAt ?? ''))).toBe(false);
      writeFileSync(join(directory, 'artifacts', 'x.md'), '# x');
      const nested = await files.read(session, 'artifacts');
      expect(nested.kind === 'directory' && nested.items.map((item) => item.path)).toEqual(['artifacts/x.md']);
    }, timeoutMs);

    it('deletes files and whole directories; a missing path is not found', async () => {
      await files.write(session, 'notes/a.md', Buffer.from('a'));
      await files.write(session, 'notes/sub/b.md', Buffer.from('b'));
      await files.delete(session, 'notes/a.md');
      expect(existsSync(join(directory, 'notes/a.md'))).toBe(false);
      await files.delete(session, 'notes');
      expect(existsSync(join(directory, 'notes'))).toBe(false);
      await expectPlatformError(files.read(session, 'notes/a.md'), 'not_found');
      await expectPlatformError(files.delete(session, 'notes'), 'not_found');
    }, timeoutMs);

    it('refuses the root as a file to write or delete, and a directory in the way', async () => {
      await expectPlatformError(files.write(session, '', Buffer.from('x')), 'bad_request');
      await expectPlatformError(files.delete(session, ''), 'bad_request');
      mkdirSync(join(directory, 'folder'));
      await expectPlatformError(files.write(session, 'folder', Buffer.from('x')), 'conflict');
      writeFileSync(join(directory, 'plain.txt'), 'x');
      await expectPlatformError(files.write(session, 'plain.txt/inner.txt', Buffer.from('x')), 'conflict');
    }, timeoutMs);

    it('never leaves the workspace through ..', async () => {
      await expectPlatformError(files.read(session, '../../etc/passwd'), 'forbidden');
      await expectPlatformError(files.read(session, 'artifacts/../../x'), 'forbidden');
      await expectPlatformError(files.write(session, '../escaped.txt', Buffer.from('x')), 'forbidden');
      await expectPlatformError(files.delete(session, '../x'), 'forbidden');
      expect(bytesOf(await files.write(session, 'a/../kept.txt', Buffer.from('k')).then(() => files.read(session, 'kept.txt'))).toString()).toBe('k');
    }, timeoutMs);

    it('does not show or change runner internals, directly or through a link', async () => {
      mkdirSync(join(directory, '.ambient'), { recursive: true });
      writeFileSync(join(directory, '.ambient', 'outbox.jsonl'), 'internal');
      await expectPlatformError(files.read(session, '.ambient/outbox.jsonl'), 'not_found');
      await expectPlatformError(files.read(session, '.claude'), 'not_found');
      await expectPlatformError(files.write(session, '.claude/settings.json', Buffer.from('{}')), 'not_found');
      await expectPlatformError(files.delete(session, '.ambient'), 'not_found');
      symlinkSync(join(directory, '.ambient'), join(directory, 'internals'));
      symlinkSync('.', join(directory, 'self'));
      await expectPlatformError(files.read(session, 'internals/outbox.jsonl'), 'forbidden');
      await expectPlatformError(files.write(session, 'internals/new.txt', Buffer.from('x')), 'forbidden');
      await expectPlatformError(files.read(session, 'self/.ambient/outbox.jsonl'), 'forbidden');
      await expectPlatformError(files.write(session, 'self/.claude', Buffer.from('x')), 'forbidden');
      const throughSelf = await files.read(session, 'self');
      expect(listingOf(throughSelf).map((item) => item.name)).not.toContain('.ambient');
      expect(readFileSync(join(directory, '.ambient', 'outbox.jsonl'), 'utf8')).toBe('internal');
      expect(existsSync(join(directory, '.claude'))).toBe(false);
    }, timeoutMs);

    it('does not follow a symbolic link out of the workspace, for reading, writing or deleting', async () => {
      symlinkSync(outside, join(directory, 'escape'));
      symlinkSync(join(outside, 'secret.txt'), join(directory, 'link.txt'));
      symlinkSync(join(outside, 'created-through-link.txt'), join(directory, 'dangling.txt'));
      await expectPlatformError(files.read(session, 'escape/secret.txt'), 'forbidden');
      await expectPlatformError(files.read(session, 'escape'), 'forbidden');
      await expectPlatformError(files.read(session, 'link.txt'), 'forbidden');
      await expectPlatformError(files.write(session, 'escape/new.txt', Buffer.from('x')), 'forbidden');
      await expectPlatformError(files.write(session, 'link.txt', Buffer.from('x')), 'forbidden');
      await expectPlatformError(files.write(session, 'dangling.txt', Buffer.from('x')), 'forbidden');
      await expectPlatformError(files.delete(session, 'escape/secret.txt'), 'forbidden');
      expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('not yours');
      expect(existsSync(join(outside, 'new.txt'))).toBe(false);
      expect(existsSync(join(outside, 'created-through-link.txt'))).toBe(false);
      // The link itself is an entry of the workspace: listed as a link, and removable without its target.
      expect(listingOf(await files.read(session, ''))).toContainEqual({ name: 'escape', type: 'symlink' });
      await files.delete(session, 'escape');
      expect(existsSync(join(directory, 'escape'))).toBe(false);
      expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('not yours');
    }, timeoutMs);

    it('follows links that stay inside the workspace', async () => {
      await files.write(session, 'artifacts/real.txt', Buffer.from('inside'));
      symlinkSync(join(directory, 'artifacts', 'real.txt'), join(directory, 'alias.txt'));
      symlinkSync('artifacts', join(directory, 'alias-directory'));
      expect(bytesOf(await files.read(session, 'alias.txt')).toString()).toBe('inside');
      expect(listingOf(await files.read(session, 'alias-directory'))).toEqual([{ name: 'real.txt', type: 'file' }]);
      await files.write(session, 'alias.txt', Buffer.from('changed'));
      expect(readFileSync(join(directory, 'artifacts', 'real.txt'), 'utf8')).toBe('changed');
    }, timeoutMs);

    it(`refuses files larger than ${WORKSPACE_FILE_MAX_BYTES} bytes`, async () => {
      writeFileSync(join(directory, 'huge.bin'), '');
      truncateSync(join(directory, 'huge.bin'), WORKSPACE_FILE_MAX_BYTES + 1);
      await expectPlatformError(files.read(session, 'huge.bin'), 'payload_too_large');
      await expectPlatformError(files.write(session, 'too-big.bin', new Uint8Array(WORKSPACE_FILE_MAX_BYTES + 1)), 'payload_too_large');
      expect(existsSync(join(directory, 'too-big.bin'))).toBe(false);
    }, timeoutMs);

    it('reads and writes a file of exactly the limit', async () => {
      const content = Buffer.alloc(WORKSPACE_FILE_MAX_BYTES, 7);
      await files.write(session, 'limit.bin', content);
      const read = bytesOf(await files.read(session, 'limit.bin'));
      expect(read.length).toBe(WORKSPACE_FILE_MAX_BYTES);
      expect(read.equals(content)).toBe(true);
    }, timeoutMs);
  });
}
