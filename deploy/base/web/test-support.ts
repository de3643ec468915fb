/**
 * Test support for web-server.mjs: runs it as the image does (`node web-server.mjs` with PORT,
 * WEB_ROOT, API_UPSTREAM), a small static export to serve, and raw requests fetch would normalise.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_PATH = fileURLToPath(new URL('./web-server.mjs', import.meta.url));

export interface WebServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts web-server.mjs on a free port and waits for its "listening" line. */
export async function startWebServer(env: Record<string, string>): Promise<WebServer> {
  const child = spawn(process.execPath, [SERVER_PATH], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const match = /web UI on :(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.once('exit', (code) =>
      reject(new Error(`web-server.mjs exited with ${code}: ${output}`)),
    );
  });
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * A static export shaped like apps/web/out (pages as `dir/index.html`, RSC payloads, hashed
 * assets, the 404 page) in `<workDir>/out`, and a file beside it that must never be served.
 */
export function writeExportFixture(workDir: string): string {
  const root = join(workDir, 'out');
  for (const directory of ['projects', 'project', 'session', join('_next', 'static', 'chunks')])
    mkdirSync(join(root, directory), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<html>home</html>');
  writeFileSync(join(root, '404.html'), '<html>not found page</html>');
  writeFileSync(join(root, 'projects', 'index.html'), '<html>projects</html>');
  writeFileSync(join(root, 'project', 'index.html'), '<html>project page</html>');
  writeFileSync(join(root, 'project', 'index.txt'), 'rsc payload');
  writeFileSync(join(root, 'session', 'index.html'), '<html>session page</html>');
  writeFileSync(join(root, '_next', 'static', 'chunks', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(root, 'favicon.ico'), 'icon');
  writeFileSync(join(workDir, 'secret.txt'), 'do not serve');
  return root;
}

/** The URL of a port nothing listens on (it was free a moment ago): an API server that is down. */
export async function unreachableUrl(): Promise<string> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** A raw GET whose path is sent exactly as written (fetch would normalise `..`). */
export function rawGet(
  base: string,
  path: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}/`, { path }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += String(chunk)));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}
