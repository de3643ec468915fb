/**
 * Latency from event-log append to 100 SSE viewers at ~1,000 events/s, through the real HTTP server.
 * Viewers run in the same process as the server, so figures include their parsing cost too.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '@ambient/api-server';
import { createTestDeps, TEST_ADMIN_TOKEN } from '@ambient/api-server/test-support/embedded-deps';
import { AgenticSessionKind, ProjectKind } from '@ambient/contracts';
import { summarize } from './stats.ts';

const TOKEN = TEST_ADMIN_TOKEN;
const VIEWERS = 100;
const EVENTS_PER_SECOND = 1_000;
const DURATION_MS = 3_000;

export async function benchSseFanout(): Promise<void> {
  const { deps, close } = createTestDeps();
  const { store, events } = deps;
  const app = createApp(deps);
  const server = await new Promise<Server>((resolve) => {
    const created = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(created as Server)) as Server;
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await store.create(ProjectKind, { metadata: { name: 'bench' }, spec: {} });
  const session = await store.create(AgenticSessionKind, { metadata: { name: 'session-bench', namespace: 'bench' }, spec: { interactive: true } });
  const latencies: number[] = [];
  const aborts: AbortController[] = [];
  let received = 0;
  const viewers = Array.from({ length: VIEWERS }, async () => {
    const abort = new AbortController();
    aborts.push(abort);
    const response = await fetch(`${url}/api/projects/bench/agentic-sessions/session-bench/agui/events`, {
      // Plain text: these viewers decode in the server's own process, so gzip decoding (on the
      // shared thread pool) would be counted as server latency. The server sends small live
      // batches as stored gzip blocks anyway (packages/api-server/src/sse-body.ts).
      headers: { authorization: `Bearer ${TOKEN}`, 'accept-encoding': 'identity' },
      signal: abort.signal,
    });
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          const frame = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
          const data = frame.split('\n').find((line) => line.startsWith('data: '));
          if (!data) continue;
          const event = JSON.parse(data.slice(6)) as { timestamp: number };
          latencies.push(performance.timeOrigin + performance.now() - event.timestamp);
          received += 1;
        }
      }
    } catch {
      // aborted at the end of the run
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const intervalMs = 10;
  const perTick = (EVENTS_PER_SECOND * intervalMs) / 1000;
  let producerSeq = 0;
  const started = Date.now();
  while (Date.now() - started < DURATION_MS) {
    const batch = Array.from({ length: perTick }, () => {
      producerSeq += 1;
      return { producerSeq, event: { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: 'x', timestamp: Math.round(performance.timeOrigin + performance.now()) } as never };
    });
    await events.append(session.metadata.uid, batch);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const abort of aborts) abort.abort();
  await Promise.allSettled(viewers);
  const achievedPerSecond = Math.round(producerSeq / ((Date.now() - started - 500) / 1000));
  console.log(`sse fan-out: target ${EVENTS_PER_SECOND} events/s, achieved ~${achievedPerSecond} events/s`);
  console.log(`sse fan-out: ${producerSeq} events x ${VIEWERS} viewers, ${received} deliveries (${((received / (producerSeq * VIEWERS)) * 100).toFixed(1)}%)`);
  console.log(summarize('sse append→viewer latency', latencies));
  server.close();
  close();
}
