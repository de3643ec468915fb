import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCredentialHelper } from './git-credential-helper.ts';
import {
  credentialEntries,
  gitEnvironment,
  gitSecrets,
  hostCredential,
  loadGitAccess,
} from './git-credentials.ts';

const repo = (url: string) => ({ url, autoPush: false });

describe('loadGitAccess', () => {
  it('reads the tokens and the identity, with defaults', () => {
    expect(loadGitAccess({ GITHUB_TOKEN: ' gh ', GIT_USER_NAME: '' })).toEqual({
      githubToken: 'gh',
      gitlabToken: undefined,
      genericToken: undefined,
      userName: 'Ambient Agent',
      userEmail: 'agent@ambient.local',
    });
  });
});

describe('credentialEntries', () => {
  const access = loadGitAccess({
    GITHUB_TOKEN: 'github-token-1',
    GITLAB_TOKEN: 'gitlab-token-1',
    GIT_TOKEN: 'generic-token-1',
  });

  it('picks the forge token by host, the generic one for other hosts', () => {
    expect(hostCredential('github.com', access)).toEqual({
      username: 'x-access-token',
      password: 'github-token-1',
    });
    expect(hostCredential('gitlab.example.org', access)?.password).toBe('gitlab-token-1');
    expect(hostCredential('git.example.org', access)).toEqual({
      username: 'git',
      password: 'generic-token-1',
    });
    expect(hostCredential('github.com', loadGitAccess({ GIT_TOKEN: 'generic' }))?.password).toBe(
      'generic',
    );
    expect(hostCredential('git.example.org', loadGitAccess({ GITHUB_TOKEN: 'x' }))).toBeUndefined();
  });

  it('puts URL credentials first, scoped to their repository, and offers host tokens per host', () => {
    const entries = credentialEntries(
      [
        repo('https://alice:url-token-123@git.example.org/team/app.git'),
        repo('https://git.example.org/team/lib'),
        repo('git@github.com:org/ssh.git'),
      ],
      access,
    );
    expect(entries).toEqual([
      { scope: 'https://git.example.org/team/app', username: 'alice', password: 'url-token-123' },
      { scope: 'https://git.example.org', username: 'git', password: 'generic-token-1' },
      { scope: 'https://github.com', username: 'x-access-token', password: 'github-token-1' },
      { scope: 'https://gitlab.com', username: 'oauth2', password: 'gitlab-token-1' },
    ]);
  });

  it('treats every token and URL credential as a secret', () => {
    expect(
      gitSecrets(
        [repo('https://u:p4ssw0rd-xyz@h/r.git'), repo('https://tokenonly12345@h/s.git')],
        access,
      ),
    ).toEqual([
      'github-token-1',
      'gitlab-token-1',
      'generic-token-1',
      'p4ssw0rd-xyz',
      'tokenonly12345',
    ]);
  });
});

describe('gitEnvironment with the real git credential machinery', () => {
  const directory = mkdtempSync(join(tmpdir(), 'git-credentials-'));
  const helperPath = join(directory, "bin with 'quote'", 'helper');
  writeCredentialHelper(helperPath);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const access = loadGitAccess({ GIT_TOKEN: 'generic-token-1' });
  const entries = credentialEntries(
    [
      repo('https://alice:url-token-123@git.example.org/team/app.git'),
      repo('https://git.example.org/team/lib'),
    ],
    access,
  );
  const environment = gitEnvironment(entries, access, helperPath);

  function fill(url: string): Record<string, string> {
    const output = execFileSync('git', ['credential', 'fill'], {
      input: `url=${url}\n\n`,
      env: { PATH: process.env['PATH'], HOME: directory, ...environment },
      encoding: 'utf8',
    });
    return Object.fromEntries(
      output
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s, 2)),
    );
  }

  it('keeps every secret out of the git configuration values', () => {
    const configValues = Object.entries(environment)
      .filter(([name]) => name.startsWith('GIT_CONFIG'))
      .map(([, value]) => value)
      .join('\n');
    expect(configValues).not.toContain('url-token-123');
    expect(configValues).not.toContain('generic-token-1');
  });

  it('answers per repository, then per host; nothing for other hosts', () => {
    expect(fill('https://git.example.org/team/app.git')).toMatchObject({
      username: 'alice',
      password: 'url-token-123',
    });
    expect(fill('https://git.example.org/team/app')).toMatchObject({ password: 'url-token-123' });
    expect(fill('https://git.example.org/team/lib.git')).toMatchObject({
      username: 'git',
      password: 'generic-token-1',
    });
    // Another host gets no token: git cannot ask anyone (GIT_TERMINAL_PROMPT=0) and fails.
    expect(() => fill('https://elsewhere.example.com/x.git')).toThrow();
  });
});
