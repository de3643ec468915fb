import { describe, expect, it } from 'vitest';
import { parseRepositoryUrl, stripUrlCredentials } from './git-remote-url.ts';

describe('parseRepositoryUrl', () => {
  it('takes credentials out of http(s) URLs', () => {
    expect(parseRepositoryUrl('https://user:s%40cret@Git.Example.org:8443/org/repo.git/')).toEqual({
      url: 'https://git.example.org:8443/org/repo.git/',
      origin: 'https://git.example.org:8443',
      path: 'org/repo',
      host: 'git.example.org',
      username: 'user',
      password: 's@cret',
    });
    expect(parseRepositoryUrl('https://github.com/org/repo')).toMatchObject({
      url: 'https://github.com/org/repo',
      username: undefined,
      password: undefined,
    });
  });

  it('leaves scp-like and ssh URLs alone, except a password', () => {
    expect(parseRepositoryUrl('git@github.com:org/repo.git')).toEqual({
      url: 'git@github.com:org/repo.git',
    });
    expect(parseRepositoryUrl('ssh://git:pw-secret@host/repo.git').url).toBe(
      'ssh://git@host/repo.git',
    );
  });
});

describe('stripUrlCredentials', () => {
  it('removes user info from URLs in free text', () => {
    expect(stripUrlCredentials("fatal: unable to access 'https://u:tok@host/r.git/': 403")).toBe(
      "fatal: unable to access 'https://host/r.git/': 403",
    );
  });
});
