/** The path rules every WorkspaceFiles adapter and the API server share. */
import { describe, expect, it } from 'vitest';
import { PlatformError } from './errors.ts';
import { confinedRelativePath, isHiddenWorkspacePath } from './workspace-files.ts';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return PlatformError.isInstance(error) ? error.code : 'not a platform error';
  }
}

describe('confinedRelativePath', () => {
  it.each([
    ['', ''],
    ['/', ''],
    ['.', ''],
    ['/a/./b/../c.txt', 'a/c.txt'],
    ['artifacts/', 'artifacts'],
    ['a//b', 'a/b'],
    ['..foo/bar', '..foo/bar'],
    ['.ambientish/x', '.ambientish/x'],
  ])('normalises %j to %j', (raw, expected) => {
    expect(confinedRelativePath(raw)).toBe(expected);
  });

  it.each([
    ['..', 'forbidden'],
    ['../x', 'forbidden'],
    ['a/../../b', 'forbidden'],
    ['//../etc/passwd', 'forbidden'],
    ['.ambient', 'not_found'],
    ['.ambient/outbox.jsonl', 'not_found'],
    ['a/../.claude/settings.json', 'not_found'],
    ['a\0b', 'bad_request'],
    ['a\\..\\b', 'bad_request'],
  ])('refuses %j (%s)', (raw, code) => {
    expect(codeOf(() => confinedRelativePath(raw))).toBe(code);
  });

  it('is idempotent on what it returns', () => {
    for (const raw of ['x/./y/../z', '/deep/path/', 'a']) {
      const once = confinedRelativePath(raw);
      expect(confinedRelativePath(once)).toBe(once);
    }
  });
});

describe('isHiddenWorkspacePath', () => {
  it('hides the runner internals at the root only', () => {
    expect(isHiddenWorkspacePath('.ambient')).toBe(true);
    expect(isHiddenWorkspacePath('.claude/x')).toBe(true);
    expect(isHiddenWorkspacePath('repos/app/.claude/x')).toBe(false);
    expect(isHiddenWorkspacePath('')).toBe(false);
  });
});
