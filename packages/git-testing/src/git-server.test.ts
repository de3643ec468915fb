import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { isolatedGitEnvironment } from './bare-repositories.ts';
import { startGitServer } from './git-server.ts';
import type { GitServer } from './git-server.ts';
import { parseCgiHead } from './cgi-response.ts';

const execFileAsync = promisify(execFile);

async function gitClient(args: string[], cwd?: string, extraEnv: Record<string, string> = {}) {
  return execFileAsync('git', args, { cwd, env: { ...isolatedGitEnvironment(), ...extraEnv } });
}

describe('startGitServer (real git http-backend)', () => {
  let server: GitServer | undefined;
  let workDir: string | undefined;
  afterEach(async () => {
    await server?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
    server = undefined;
    workDir = undefined;
  });

  it('serves clone and push; pushed branches are visible on the server', async () => {
    server = await startGitServer();
    const url = await server.createRepository('app', { 'README.md': '# app\n' });
    expect(url).toBe(`${server.url}/app.git`);
    workDir = await mkdtemp(join(tmpdir(), 'git-testing-client-'));
    const clone = join(workDir, 'app');

    await gitClient(['clone', '--quiet', '--filter=blob:none', url, clone]);
    expect(await readFile(join(clone, 'README.md'), 'utf8')).toBe('# app\n');
    await writeFile(join(clone, 'new.txt'), 'pushed\n');
    await gitClient(['checkout', '--quiet', '-b', 'feature/x'], clone);
    await gitClient(['add', '--all'], clone);
    await gitClient(['commit', '--quiet', '-m', 'add new.txt'], clone);
    await gitClient(['push', '--quiet', 'origin', 'HEAD'], clone);

    expect(await server.branches('app')).toEqual(['feature/x', 'main']);
    expect(await server.readFile('app', 'feature/x', 'new.txt')).toBe('pushed\n');
    expect(server.requests.some((request) => request.path === '/app.git/git-receive-pack')).toBe(
      true,
    );
    expect(server.requests.every((request) => request.status === 200)).toBe(true);
  });

  it('creates repositories with another default branch and extra branches', async () => {
    server = await startGitServer();
    const url = await server.createRepository('org/lib', { 'src/a.txt': 'a' }, { branch: 'trunk' });
    await server.createBranch('org/lib', 'release', 'trunk');
    const { stdout } = await gitClient(['ls-remote', '--symref', url, 'HEAD']);
    expect(stdout).toContain('ref: refs/heads/trunk\tHEAD');
    expect(await server.branches('org/lib')).toEqual(['release', 'trunk']);
    expect(await server.readFile('org/lib', 'release', 'src/a.txt')).toBe('a');
  });

  it('with requireToken: 401 without the token, served with it', async () => {
    const token = 'test-token-0123456789';
    server = await startGitServer({ requireToken: token });
    const url = await server.createRepository('secret', { 'a.txt': 'a' });
    const refused = await gitClient(['ls-remote', url]).catch((error: { stderr: string }) => error);
    expect('stderr' in refused ? refused.stderr : '').toMatch(
      /could not read Username|Authentication failed/,
    );
    expect(server.requests[0]).toMatchObject({ authPresented: false, status: 401 });

    const response = await fetch(`${url}/info/refs?service=git-upload-pack`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);

    const authorized = new URL(url);
    authorized.username = 'someone';
    authorized.password = token;
    const { stdout } = await gitClient(['ls-remote', authorized.toString()]);
    expect(stdout).toContain('refs/heads/main');
    expect(server.requests.at(-1)).toMatchObject({ authPresented: true, user: 'someone' });
  });

  it('parses CGI heads', () => {
    expect(parseCgiHead('Status: 404 Not Found\r\nContent-Type: text/plain')).toEqual({
      status: 404,
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(parseCgiHead('Content-Type: x')).toEqual({
      status: 200,
      headers: { 'Content-Type': 'x' },
    });
  });
});
