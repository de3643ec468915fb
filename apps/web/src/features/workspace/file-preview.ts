/**
 * What the file viewer can show: text up to 1 MB, decoded as UTF-8. Bigger files and files that
 * are not text (a NUL byte near the start, as git decides, or bytes that are not UTF-8) are offered
 * as downloads instead, so the page never renders megabytes or mojibake.
 */
import type { WorkspaceEntry } from '@ambient/client';

export const MAX_PREVIEW_BYTES = 1024 * 1024;
/** How much of the start git looks at to call a file binary. */
const BINARY_SNIFF_BYTES = 8000;

export type FilePreview = { kind: 'text'; text: string; lineCount: number } | { kind: 'binary' } | { kind: 'directory' };

export function canPreview(size: number): boolean {
  return size <= MAX_PREVIEW_BYTES;
}

/** Lines as an editor numbers them: a final newline does not start another line. */
export function countLines(text: string): number {
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

export function decodePreview(bytes: Uint8Array): FilePreview {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { kind: 'binary' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { kind: 'binary' };
  }
  return { kind: 'text', text, lineCount: countLines(text) };
}

/** Folders first, then by name: the order people expect, whatever order the server sent. */
export function sortEntries(items: readonly WorkspaceEntry[]): WorkspaceEntry[] {
  return [...items].sort((a, b) => {
    const folderA = a.type === 'directory' ? 0 : 1;
    const folderB = b.type === 'directory' ? 0 : 1;
    return folderA - folderB || a.name.localeCompare(b.name);
  });
}

/** `a/b/c` → [{name: 'a', path: 'a'}, {name: 'b', path: 'a/b'}, {name: 'c', path: 'a/b/c'}]. */
export function pathCrumbs(path: string): { name: string; path: string }[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((name, index) => ({ name, path: parts.slice(0, index + 1).join('/') }));
}
