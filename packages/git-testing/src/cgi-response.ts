/**
 * Reads a CGI response (RFC 3875 §6): header lines, a blank line, then the body. `Status:` becomes
 * the HTTP status (200 without it); every other header is passed through.
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

export interface CgiHead {
  status: number;
  headers: Record<string, string>;
}

export function parseCgiHead(text: string): CgiHead {
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers };
}

/** Finds the blank line that ends the CGI head; returns its start and the body's start. */
function headEnd(buffer: Buffer): { headLength: number; bodyStart: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headLength: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { headLength: lf, bodyStart: lf + 2 };
  return undefined;
}

/** Streams a CGI program's stdout into an HTTP response; resolves with the status sent. */
export function pipeCgiResponse(stdout: Readable, response: ServerResponse): Promise<number> {
  return new Promise((resolve, reject) => {
    let pending = Buffer.alloc(0);
    let status: number | undefined;
    stdout.on('data', (chunk: Buffer) => {
      if (status !== undefined) {
        response.write(chunk);
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      const end = headEnd(pending);
      if (!end) return;
      const head = parseCgiHead(pending.subarray(0, end.headLength).toString('latin1'));
      status = head.status;
      response.writeHead(head.status, head.headers);
      response.write(pending.subarray(end.bodyStart));
    });
    stdout.on('error', reject);
    stdout.on('end', () => {
      if (status === undefined) {
        // The program ended without a complete head: a bridge error, not a git answer.
        status = 502;
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.write(pending);
      }
      response.end();
      resolve(status);
    });
  });
}
