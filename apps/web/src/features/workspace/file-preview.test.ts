import { describe, expect, it } from 'vitest';
import type { WorkspaceEntry } from '@ambient/client';
import { canPreview, countLines, decodePreview, MAX_PREVIEW_BYTES, pathCrumbs, sortEntries } from './file-preview';

const encode = (text: string) => new TextEncoder().encode(text);
const entry = (name: string, type: WorkspaceEntry['type']): WorkspaceEntry => ({ name, path: name, type, size: 1, modifiedAt: '2026-01-01T00:00:00Z' });

describe('file preview', () => {
  it('shows UTF-8 text with its line count, a final newline not counting as a line', () => {
    expect(decodePreview(encode('one\ntwo\n'))).toEqual({ kind: 'text', text: 'one\ntwo\n', lineCount: 2 });
    expect(decodePreview(encode('héllo'))).toEqual({ kind: 'text', text: 'héllo', lineCount: 1 });
    expect(countLines('')).toBe(0);
    expect(countLines('\n')).toBe(1);
    expect(countLines('a\n\nb')).toBe(3);
  });

  it('calls a file binary when it has a NUL byte near the start or is not UTF-8', () => {
    expect(decodePreview(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).toEqual({ kind: 'binary' });
    expect(decodePreview(new Uint8Array([0x66, 0xff, 0xfe, 0x66]))).toEqual({ kind: 'binary' });
  });

  it('previews files up to 1 MB only', () => {
    expect(canPreview(MAX_PREVIEW_BYTES)).toBe(true);
    expect(canPreview(MAX_PREVIEW_BYTES + 1)).toBe(false);
  });

  it('sorts folders first, then by name', () => {
    const sorted = sortEntries([entry('b.txt', 'file'), entry('src', 'directory'), entry('a.txt', 'symlink'), entry('docs', 'directory')]);
    expect(sorted.map((item) => item.name)).toEqual(['docs', 'src', 'a.txt', 'b.txt']);
  });

  it('splits a path into breadcrumbs', () => {
    expect(pathCrumbs('repos/app/src')).toEqual([
      { name: 'repos', path: 'repos' },
      { name: 'app', path: 'repos/app' },
      { name: 'src', path: 'repos/app/src' },
    ]);
    expect(pathCrumbs('')).toEqual([]);
  });
});
