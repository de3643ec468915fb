import { request } from 'node:https';

export interface ProbeResult {
  status: number;
  body: string;
}

/** One HTTPS GET with an optional bearer token; `ca` undefined means "do not verify" (component healthz). */
export function httpsGet(
  url: string,
  options: { ca?: string; token?: string; timeoutMs?: number },
): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'GET',
        ca: options.ca,
        rejectUnauthorized: options.ca !== undefined,
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
        timeout: options.timeoutMs ?? 2_000,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`timeout: GET ${url}`)));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/**
 * Polls `probe` until it returns true. Fails early when `failFast` reports a reason (e.g. the process
 * being waited for has exited), so a crash is reported in milliseconds rather than at the timeout.
 */
export async function waitUntil(
  description: string,
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; failFast?: () => string | undefined },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = '';
  for (;;) {
    const reason = options.failFast?.();
    if (reason) throw new Error(`${description}: ${reason}`);
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${description}: not ready after ${options.timeoutMs} ms${lastError ? ` (${lastError})` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}
