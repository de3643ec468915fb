/**
 * Reconnect to a 100,000-event session through the real HTTP server (design §8: first byte ≤ 100 ms,
 * payload ≤ 1 MB): time to the first byte, to the first event and to "caught up", and the payload,
 * with compaction (cold cache, warm cache, cursor inside the compacted span, cursor at the tail,
 * WebSocket) and without it (`compact=false`). Payloads are counted on the wire (gzip, as browsers
 * and Node's fetch ask for it; WebSocket with permessage-deflate) and decoded; one compacted read
 * asks for no compression, for comparison. The session is shaped like the runner's output:
 * token-sized text deltas, reasoning, tool calls with results, a run result per run, and one run
 * still in progress. Figures are printed, never asserted.
 */
import { AgenticSessionKind, ProjectKind } from '@ambient/contracts';
import type { AgUiEvent } from '@ambient/contracts';
import { scriptRun } from '@ambient/core/test-support/session-script';
import { createTestDeps, TEST_ADMIN_TOKEN } from '@ambient/api-server/test-support/embedded-deps';
import { readSseUntil, readWsUntil, startTestServer } from '@ambient/api-server/test-support/streams';
import type { StreamRead } from '@ambient/api-server/test-support/streams';
import { summarize } from './stats.ts';

const TARGET_EVENTS = 100_000;
const WARM_REPETITIONS = 20;
const AUTH = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

/** One user turn: ~1.5 kB of reply streamed in 6-character deltas, reasoning, three tools. */
function benchRun(index: number, end: 'success' | 'open'): AgUiEvent[] {
  return scriptRun('session-bench', {
    runId: `run-${index}`,
    user: `Step ${index}: look at the failing test in module ${index % 17} and fix it, then run the suite.`,
    reasoning: 'The failure comes from the fixture; read it first, then patch the helper. '.repeat(4),
    reply: `Run ${index}: I read the fixture, patched the helper and ran the suite; everything passes now. `.repeat(16),
    tools: [
      { name: 'Read', input: { file_path: `/workspace/src/module-${index % 17}.ts` }, result: 'export function helper() {\n  return 42;\n}\n'.repeat(6) },
      { name: 'Edit', input: { file_path: `/workspace/src/module-${index % 17}.ts`, old_string: 'return 42', new_string: 'return 43' }, result: 'The file was updated.' },
      { name: 'Bash', input: { command: 'npm test -- --run' }, result: 'Test Files  12 passed (12)\n     Tests  148 passed (148)\n', isError: index % 25 === 0 },
    ],
    deltaLength: 6,
    end,
  });
}

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} kB`;
}

function describeRead(label: string, read: StreamRead): string {
  const payload = read.contentEncoding === 'identity' ? kilobytes(read.bytes) : `${kilobytes(read.bytes)} ${read.contentEncoding} (${kilobytes(read.decodedBytes)} decoded)`;
  return `${label}: first byte ${read.firstByteMs.toFixed(1)} ms, first event ${read.firstEventMs.toFixed(1)} ms, caught up ${read.totalMs.toFixed(1)} ms, ${read.events.length} frames, ${payload}`;
}

export async function benchReconnect(): Promise<void> {
  const { deps, close } = createTestDeps();
  await deps.store.create(ProjectKind, { metadata: { name: 'bench' }, spec: {} });
  const session = await deps.store.create(AgenticSessionKind, { metadata: { name: 'session-bench', namespace: 'bench' }, spec: { interactive: true } });
  const uid = session.metadata.uid;
  let appended = 0;
  let runs = 0;
  for (let index = 1; appended < TARGET_EVENTS; index += 1) {
    const remaining = TARGET_EVENTS - appended;
    const run = benchRun(index, 'success');
    // The last run stays open: a short run in progress, as when a viewer reconnects mid-turn.
    const events = run.length + 200 < remaining ? run : benchRun(index, 'open').slice(0, remaining);
    await deps.events.append(uid, events.map((event) => ({ event })));
    appended += events.length;
    runs += 1;
  }
  const lastSeq = (await deps.events.summary(uid)).lastSeq;
  const server = await startTestServer(deps);
  const path = `${server.url}/api/projects/bench/agentic-sessions/session-bench/agui/events`;
  try {
    // Warm the HTTP client and server (first connection costs) without touching the compaction cache.
    await readSseUntil(`${path}?compact=false`, { ...AUTH, 'last-event-id': String(lastSeq - 1) }, lastSeq);
    const raw = await readSseUntil(`${path}?compact=false`, AUTH, lastSeq);
    console.log(`reconnect: session of ${lastSeq} events in ${runs} runs (the last one in progress)`);
    console.log(describeRead('reconnect raw (compact=false, after=0)', raw));
    const cold = await readSseUntil(path, AUTH, lastSeq);
    console.log(describeRead('reconnect compacted, cold cache (after=0)', cold));
    const uncompressed = await readSseUntil(path, AUTH, lastSeq, { acceptEncoding: 'identity' });
    console.log(describeRead('reconnect compacted, warm cache, no Accept-Encoding (after=0)', uncompressed));
    const warm: StreamRead[] = [];
    for (let repetition = 0; repetition < WARM_REPETITIONS; repetition += 1) warm.push(await readSseUntil(path, AUTH, lastSeq));
    console.log(describeRead('reconnect compacted, warm cache (after=0)', warm[warm.length - 1]!));
    console.log(summarize('  warm first byte', warm.map((read) => read.firstByteMs)));
    console.log(summarize('  warm first event (snapshot)', warm.map((read) => read.firstEventMs)));
    console.log(summarize('  warm caught up', warm.map((read) => read.totalMs)));
    const middle = await readSseUntil(path, { ...AUTH, 'last-event-id': String(Math.floor(lastSeq / 2)) }, lastSeq);
    console.log(describeRead(`reconnect compacted, cursor inside the span (after=${Math.floor(lastSeq / 2)})`, middle));
    const tail = await readSseUntil(path, { ...AUTH, 'last-event-id': String(lastSeq - 10) }, lastSeq);
    console.log(describeRead(`reconnect at the tail (after=${lastSeq - 10})`, tail));
    for (const perMessageDeflate of [true, false]) {
      const ws = await readWsUntil(`${server.wsUrl}/api/projects/bench/agentic-sessions/session-bench/agui/ws`, AUTH, lastSeq, { perMessageDeflate });
      console.log(
        `reconnect compacted over WebSocket (after=0, ${ws.extensions || 'no extensions'}): first message ${ws.firstMessageMs.toFixed(1)} ms, ` +
          `caught up ${ws.totalMs.toFixed(1)} ms, ${ws.events.length} messages, ${kilobytes(ws.bytes)} on the wire (${kilobytes(ws.decodedBytes)} decoded)`,
      );
    }
    console.log(
      `reconnect: compacted payload is ${((cold.decodedBytes / raw.decodedBytes) * 100).toFixed(1)}% of raw decoded, ` +
        `${((cold.bytes / uncompressed.bytes) * 100).toFixed(1)}% of itself uncompressed on the wire; ` +
        `warm caught-up is ${(raw.totalMs / (warm[warm.length - 1]!.totalMs || 1)).toFixed(0)}x faster than raw`,
    );
  } finally {
    await server.close();
    close();
  }
}
