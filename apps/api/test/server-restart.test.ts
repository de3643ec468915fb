/**
 * Reliability: the API server is killed with SIGKILL in the middle of a run and started again.
 * The runner keeps working (it is adopted by the new server process), buffers what it produces in
 * its outbox, reconnects and resends; readers resuming from their cursor see every event exactly
 * once and the run finishes normally.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slowText, startFakeModel } from '@ambient/fake-model';
import type { FakeModel } from '@ambient/fake-model';
import { readSse } from '@ambient/testing/sse-client';
import { startPlatformProcess } from '@ambient/testing/platform-process';
import type { PlatformProcess } from '@ambient/testing/platform-process';

interface StreamedEvent {
  seq: number;
  type: string;
  delta?: string;
  role?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('API server restart mid-run', () => {
  let dataDir: string;
  let model: FakeModel;
  const platforms: PlatformProcess[] = [];
  const WORDS = 120;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ambient-restart-'));
    model = await startFakeModel();
  });

  afterAll(async () => {
    for (const platform of platforms) await platform.stop();
    await model?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses and duplicates nothing when the server is killed with SIGKILL and restarted', async () => {
    const port = String(await freePort());
    const env = {
      AMBIENT_DATA_DIR: dataDir,
      PORT: port,
      ANTHROPIC_API_KEY: 'test-key-not-real',
      ANTHROPIC_BASE_URL: model.url,
      AMBIENT_DEMO_MODEL: 'off',
    };
    const first = await startPlatformProcess(env);
    platforms.push(first);
    const api = (platform: PlatformProcess, path: string, init: RequestInit = {}) =>
      fetch(`${platform.url}${path}`, { ...init, headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json', ...init.headers } });

    await api(first, '/api/projects', { method: 'POST', body: JSON.stringify({ name: 'reliable' }) });
    const created = await api(first, '/api/projects/reliable/agentic-sessions', {
      method: 'POST',
      body: JSON.stringify({ prompt: `SLOW_TEXT ${WORDS}`, interactive: false }),
    });
    const { name } = (await created.json()) as { name: string };
    const eventsPath = `/api/projects/reliable/agentic-sessions/${name}/agui/events?compact=false`;

    // Read until the agent is streaming its answer, then kill the server without warning.
    const seen: StreamedEvent[] = [];
    const abortFirst = new AbortController();
    const firstStream = await api(first, eventsPath, { signal: abortFirst.signal });
    for await (const frame of readSse(firstStream)) {
      seen.push(JSON.parse(frame.data) as StreamedEvent);
      if (seen.filter((event) => event.type === 'TEXT_MESSAGE_CONTENT' && event.delta?.includes('word')).length >= 10) break;
    }
    abortFirst.abort();
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    // The runner goes on producing while nobody listens.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const second = await startPlatformProcess(env);
    platforms.push(second);
    const abortSecond = new AbortController();
    const resumed = await api(second, eventsPath, { signal: abortSecond.signal, headers: { 'last-event-id': String(seen.at(-1)!.seq) } });
    for await (const frame of readSse(resumed)) {
      const event = JSON.parse(frame.data) as StreamedEvent;
      seen.push(event);
      if (event.type === 'RUN_FINISHED' || event.type === 'RUN_ERROR') break;
    }
    abortSecond.abort();

    expect(seen.at(-1)?.type).toBe('RUN_FINISHED');
    expect(seen.map((event) => event.seq)).toEqual(seen.map((_event, index) => index + 1));
    const assistantText = seen
      .filter((event) => event.type === 'TEXT_MESSAGE_CONTENT' && event.delta?.includes('word'))
      .map((event) => event.delta)
      .join('');
    expect(assistantText.replace(/\s+/g, ' ').trim()).toBe(slowText(WORDS));

    let session: { status?: { phase?: string; runCount?: number } } = {};
    for (let attempt = 0; attempt < 100 && session.status?.phase !== 'Completed'; attempt += 1) {
      session = (await (await api(second, `/api/projects/reliable/agentic-sessions/${name}`)).json()) as typeof session;
      if (session.status?.phase !== 'Completed') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The same run finished: the runner was adopted, not restarted.
    expect(session.status).toMatchObject({ phase: 'Completed', runCount: 1 });
  }, 120_000);
});
