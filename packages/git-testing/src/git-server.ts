/**
 * A real git smart-HTTP server for tests: node:http in front of git's own CGI program,
 * `git http-backend`, on 127.0.0.1. Clone, fetch and push behave exactly as against a forge's git
 * endpoint; optional HTTP Basic auth (any user name, the token as password) lets tests check how
 * clients present credentials. Every request is recorded, and an `onRequest` hook runs while the
 * client's git processes are alive (e.g. to inspect their command lines).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bareRepositoryPath,
  createBareRepository,
  createBranch,
  listBranches,
  readBranchFile,
} from './bare-repositories.ts';
import { pipeCgiResponse } from './cgi-response.ts';

export const GIT_HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

export interface GitServerOptions {
  /** Directory holding the bare repositories (default: a new temporary directory, removed on close). */
  root?: string;
  /** When set, every request needs HTTP Basic auth with this token as the password. */
  requireToken?: string;
  /** Called for every request before it is served (after the auth check). */
  onRequest?: (request: RecordedGitRequest) => void;
}

export interface RecordedGitRequest {
  method: string;
  /** The URL path, e.g. `/app.git/info/refs`. */
  path: string;
  query: string;
  /** An Authorization header came with the request (right or wrong). */
  authPresented: boolean;
  /** The user name of accepted Basic credentials. */
  user?: string;
  /** The HTTP status sent back (set once the response is complete). */
  status?: number;
}

export interface CreateRepositoryOptions {
  /** The initial (default) branch, `main` unless given. */
  branch?: string;
}

export interface GitServer {
  /** `http://127.0.0.1:<port>`; a repository named `app` is at `<url>/app.git`. */
  url: string;
  root: string;
  requests: RecordedGitRequest[];
  /** Creates a bare repository with one commit holding `files`; resolves to its clone URL. */
  createRepository(
    name: string,
    files: Record<string, string>,
    options?: CreateRepositoryOptions,
  ): Promise<string>;
  createBranch(repository: string, branch: string, from: string): Promise<void>;
  readFile(repository: string, branch: string, path: string): Promise<string>;
  branches(repository: string): Promise<string[]>;
  close(): Promise<void>;
}

interface BasicCredentials {
  user: string;
  password: string;
}

function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // a malformed escape: let http-backend answer 404 for it
  }
}

function serveWithBackend(
  root: string,
  request: IncomingMessage,
  response: ServerResponse,
  recorded: RecordedGitRequest,
): Promise<number> {
  const environment: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    REQUEST_METHOD: recorded.method,
    PATH_INFO: safeDecode(recorded.path),
    QUERY_STRING: recorded.query,
    CONTENT_TYPE: request.headers['content-type'] ?? '',
    REMOTE_USER: recorded.user ?? '',
    REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
  };
  // Large pushes arrive gzip-compressed; protocol v2 is negotiated through the Git-Protocol header.
  const encoding = request.headers['content-encoding'];
  if (encoding) environment['HTTP_CONTENT_ENCODING'] = encoding;
  const protocol = request.headers['git-protocol'];
  if (typeof protocol === 'string') environment['GIT_PROTOCOL'] = protocol;
  const length = request.headers['content-length'];
  if (length) environment['CONTENT_LENGTH'] = length;

  const backend = spawn(GIT_HTTP_BACKEND, [], { env: environment, stdio: 'pipe' });
  backend.stderr.resume(); // its messages also reach the client through the response
  backend.stdin.on('error', () => undefined); // the backend may answer before reading everything
  request.pipe(backend.stdin);
  return pipeCgiResponse(backend.stdout, response);
}

export async function startGitServer(options: GitServerOptions = {}): Promise<GitServer> {
  const ownsRoot = options.root === undefined;
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'git-testing-'));
  const requests: RecordedGitRequest[] = [];

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://git-testing');
    const credentials = parseBasicAuth(request.headers.authorization);
    const recorded: RecordedGitRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      authPresented: request.headers.authorization !== undefined,
      user: credentials?.user,
    };
    requests.push(recorded);
    if (options.requireToken !== undefined && credentials?.password !== options.requireToken) {
      recorded.user = undefined;
      recorded.status = 401;
      request.resume();
      response.writeHead(401, {
        'WWW-Authenticate': 'Basic realm="git-testing"',
        'content-type': 'text/plain',
      });
      response.end('authentication required\n');
      return;
    }
    options.onRequest?.(recorded);
    serveWithBackend(root, request, response, recorded).then(
      (status) => (recorded.status = status),
      (error: unknown) => {
        recorded.status = 500;
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const barePath = (repository: string) => bareRepositoryPath(root, repository);

  return {
    url: baseUrl,
    root,
    requests,
    async createRepository(name, files, createOptions = {}) {
      const path = await createBareRepository(root, name, files, createOptions.branch ?? 'main');
      return `${baseUrl}/${path.slice(root.length + 1)}`;
    },
    createBranch: (repository, branch, from) => createBranch(barePath(repository), branch, from),
    readFile: (repository, branch, path) => readBranchFile(barePath(repository), branch, path),
    branches: (repository) => listBranches(barePath(repository)),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsRoot) rmSync(root, { recursive: true, force: true });
    },
  };
}
