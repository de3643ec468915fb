/**
 * A workspace that is a directory on this machine: the one implementation of the confinement rules,
 * used by the runner and the workspace viewer for their own workspace, and by the embedded adapter
 * (runtime-local's LocalWorkspaceFiles) for every session's.
 *
 * Every path is resolved with realpath and must stay inside the (real) root and outside the runner
 * internals, so neither `..` nor a symbolic link planted by the agent reaches anything else:
 * - reads follow links only to targets inside the workspace;
 * - writes check the deepest existing ancestor before creating directories, re-check the parent
 *   after, and open the file with O_NOFOLLOW (a link as the final component is resolved and checked
 *   first; a dangling one is refused, since writing through it would create its outside target);
 * - deletes resolve the parent and remove the entry itself (a link is removed, never its target).
 * Node has no openat(), so an agent that swaps a checked directory for a link between the check and
 * the open could still win a race; the re-checks keep that window small.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { WORKSPACE_FILE_MAX_BYTES } from '@ambient/contracts';
import type { WorkspaceEntry } from '@ambient/contracts';
import { ConflictError, ForbiddenError, NotFoundError, PlatformError, ValidationError } from './errors.ts';
import { confinedRelativePath, HIDDEN_WORKSPACE_ENTRIES, isHiddenWorkspacePath } from './workspace-files.ts';
import type { WorkspaceReadResult } from './workspace-files.ts';

const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
const FILE_MODE = 0o644;

export class DirectoryWorkspace {
  constructor(readonly root: string) {}

  async read(rawPath: string): Promise<WorkspaceReadResult> {
    const relativePath = confinedRelativePath(rawPath);
    const realRoot = await this.realRoot();
    const target = await resolveExisting(realRoot, relativePath);
    const info = await stat(target.path).catch((error: unknown) => rethrow(error, relativePath));
    if (info.isDirectory()) {
      return { kind: 'directory', path: relativePath, items: await listDirectory(target.path, relativePath, target.inside === '') };
    }
    // A FIFO or socket would block or fail the read: only regular files have content to show.
    if (!info.isFile()) throw new ValidationError(`not a regular file: ${relativePath}`);
    if (info.size > WORKSPACE_FILE_MAX_BYTES) throw tooLarge();
    const content = await readFile(target.path).catch((error: unknown) => rethrow(error, relativePath));
    if (content.byteLength > WORKSPACE_FILE_MAX_BYTES) throw tooLarge(); // it grew meanwhile
    return { kind: 'file', path: relativePath, content: new Uint8Array(content.buffer, content.byteOffset, content.byteLength) };
  }

  async write(rawPath: string, content: Uint8Array): Promise<{ path: string; size: number }> {
    const relativePath = confinedRelativePath(rawPath);
    if (relativePath === '') throw new ValidationError('give a file path to write');
    if (content.byteLength > WORKSPACE_FILE_MAX_BYTES) throw tooLarge();
    const realRoot = await this.realRoot();
    const parent = await ensureDirectory(realRoot, parentOf(relativePath));
    const name = posix.basename(relativePath);
    // Through a link to the root, `link/.claude` would otherwise create a runner internal.
    if (isHiddenWorkspacePath(posix.join(parent.inside, name))) throw new ForbiddenError('the path leads into runner internals');
    let targetPath = join(parent.path, name);
    const existing = await lstat(targetPath).catch(() => undefined);
    if (existing?.isSymbolicLink()) {
      const resolved = await realpath(targetPath).catch(() => {
        throw new ForbiddenError('the path is a symbolic link that leads nowhere');
      });
      targetPath = checkInside(realRoot, resolved).path;
    }
    const handle = await open(targetPath, WRITE_FLAGS, FILE_MODE).catch((error: unknown) => rethrow(error, relativePath));
    try {
      await handle.writeFile(content);
    } catch (error) {
      rethrow(error, relativePath);
    } finally {
      await handle.close();
    }
    return { path: relativePath, size: content.byteLength };
  }

  async delete(rawPath: string): Promise<void> {
    const relativePath = confinedRelativePath(rawPath);
    if (relativePath === '') throw new ValidationError('refusing to delete the whole workspace');
    const realRoot = await this.realRoot();
    const parent = await resolveExisting(realRoot, parentOf(relativePath));
    const targetPath = join(parent.path, posix.basename(relativePath));
    if (isHiddenWorkspacePath(posix.join(parent.inside, posix.basename(relativePath)))) {
      throw new NotFoundError(`no such file in the workspace: ${relativePath}`);
    }
    // lstat, not stat: a link is an entry of its own, and removing it never touches its target.
    await lstat(targetPath).catch((error: unknown) => rethrow(error, relativePath));
    await rm(targetPath, { recursive: true, force: true }).catch((error: unknown) => rethrow(error, relativePath));
  }

  private async realRoot(): Promise<string> {
    await mkdir(this.root, { recursive: true });
    return realpath(this.root);
  }
}

interface Resolved {
  /** Real path on disk. */
  path: string;
  /** Relative to the real root, '/'-separated ('' is the root). */
  inside: string;
}

function parentOf(relativePath: string): string {
  const parent = posix.dirname(relativePath);
  return parent === '.' ? '' : parent;
}

function checkInside(realRoot: string, resolved: string): Resolved {
  const inside = relative(realRoot, resolved);
  if (inside === '..' || inside.startsWith(`..${sep}`) || posix.isAbsolute(inside)) {
    throw new ForbiddenError('the path leaves the workspace');
  }
  const insidePath = inside.split(sep).join('/');
  // A link planted inside the workspace must not expose the runner's internals either.
  if (isHiddenWorkspacePath(insidePath)) throw new ForbiddenError('the path leads into runner internals');
  return { path: resolved, inside: insidePath };
}

async function resolveExisting(realRoot: string, relativePath: string): Promise<Resolved> {
  const resolved = await realpath(join(realRoot, relativePath)).catch((error: unknown) => rethrow(error, relativePath));
  return checkInside(realRoot, resolved);
}

/** Directory `relativePath`, created if missing, after checking where it leads. */
async function ensureDirectory(realRoot: string, relativePath: string): Promise<Resolved> {
  const missing: string[] = [];
  let probe = relativePath;
  for (;;) {
    const resolved = await realpath(join(realRoot, probe)).catch((error: unknown) => {
      if (isErrorCode(error, 'ENOENT') && probe !== '') return undefined;
      return rethrow(error, probe);
    });
    if (resolved !== undefined) {
      checkInside(realRoot, resolved);
      if (!(await stat(resolved)).isDirectory()) throw new ConflictError(`not a directory: ${probe}`);
      break;
    }
    missing.unshift(posix.basename(probe));
    probe = parentOf(probe);
  }
  const directory = join(realRoot, relativePath);
  if (missing.length > 0) {
    await mkdir(directory, { recursive: true }).catch((error: unknown) => rethrow(error, relativePath));
  }
  // Again after creating: the checked ancestor may have been swapped for a link meanwhile.
  return resolveExisting(realRoot, relativePath);
}

async function listDirectory(directory: string, relativePath: string, isRoot: boolean): Promise<WorkspaceEntry[]> {
  const entries = await readdir(directory, { withFileTypes: true }).catch((error: unknown) => rethrow(error, relativePath));
  const items = await Promise.all(
    entries
      .filter((entry) => !(isRoot && HIDDEN_WORKSPACE_ENTRIES.has(entry.name)))
      .map(async (entry): Promise<WorkspaceEntry | undefined> => {
        // An entry removed between readdir and lstat is simply not listed.
        const info = await lstat(join(directory, entry.name)).catch(() => undefined);
        if (!info) return undefined;
        return {
          name: entry.name,
          path: relativePath ? `${relativePath}/${entry.name}` : entry.name,
          type: info.isDirectory() ? 'directory' : info.isSymbolicLink() ? 'symlink' : 'file',
          size: info.size,
          modifiedAt: info.mtime.toISOString(),
        };
      }),
  );
  const rank = (item: WorkspaceEntry) => (item.type === 'directory' ? 0 : 1);
  return items
    .filter((item): item is WorkspaceEntry => item !== undefined)
    .sort((left, right) => rank(left) - rank(right) || left.name.localeCompare(right.name, 'en'));
}

function tooLarge(): PlatformError {
  return new PlatformError('payload_too_large', `the file is larger than ${WORKSPACE_FILE_MAX_BYTES} bytes`);
}

function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** File-system errors as platform errors (a message without host paths; those stay on this side). */
function rethrow(error: unknown, relativePath: string): never {
  if (PlatformError.isInstance(error)) throw error;
  const shown = relativePath || '/';
  if (isErrorCode(error, 'ENOENT') || isErrorCode(error, 'ENOTDIR')) throw new NotFoundError(`no such file in the workspace: ${shown}`);
  if (isErrorCode(error, 'ELOOP')) throw new ForbiddenError(`too many symbolic links, or a link where a file was expected: ${shown}`);
  if (isErrorCode(error, 'EISDIR')) throw new ConflictError(`a directory is in the way: ${shown}`);
  if (isErrorCode(error, 'EEXIST')) throw new ConflictError(`something that is not a directory is in the way: ${shown}`);
  if (isErrorCode(error, 'EACCES') || isErrorCode(error, 'EPERM')) throw new ForbiddenError(`permission denied: ${shown}`);
  if (isErrorCode(error, 'ENOSPC')) throw new PlatformError('unavailable', 'the workspace volume is full');
  throw new PlatformError('internal', `the workspace operation failed on ${shown}`, { cause: error });
}
