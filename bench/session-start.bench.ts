/**
 * Embedded session latency with the real Claude Code CLI and the fake model (design §8 goals:
 * create → runner running ≤ 300 ms p50, create → first agent event ≤ 1.5 s p50), plus runner
 * overhead: its memory beside the Claude Code process, and events per second from SDK to server.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDefaultPlan, startFakeModel } from '@ambient/fake-model';
import { loadConfig } from '../apps/api/src/config.ts';
import { startEmbeddedPlatform } from '../apps/api/src/platform.ts';
import { percentile, summarize } from './stats.ts';

const SESSIONS = 6;
const TOKEN = 'bench-admin-token-0123456789';

function rssKb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export async function benchSessionStart(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-sessions-'));
  const model = await startFakeModel({ plan: createDefaultPlan({ slowChunkDelayMs: 0 }) });
  const config = loadConfig({ PORT: '0', AMBIENT_DATA_DIR: dataDir, AMBIENT_ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn' });
  const platform = await startEmbeddedPlatform(config, { apiKey: 'bench', baseUrl: model.url });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${platform.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
  try {
    await api('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'bench' }) });
    const toRunning: number[] = [];
    const toFirstEvent: number[] = [];
    const toFinished: number[] = [];
    for (let index = 0; index < SESSIONS; index += 1) {
      const started = performance.now();
      const created = await api('/api/projects/bench/agentic-sessions', { method: 'POST', body: JSON.stringify({ prompt: 'hello', interactive: false }) });
      const { name } = (await created.json()) as { name: string };
      const base = `/api/projects/bench/agentic-sessions/${name}`;
      const stream = api(`${base}/agui/events?compact=false`);
      const watchPhase = (async () => {
        for (;;) {
          const session = (await (await api(base)).json()) as { status?: { phase?: string } };
          if (session.status?.phase === 'Running' || session.status?.phase === 'Completed') return performance.now() - started;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      const response = await stream;
      const decoder = new TextDecoder();
      let buffer = '';
      let first: number | undefined;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        // The first event of the agent's run (lifecycle notices from the controller come earlier).
        if (first === undefined && buffer.includes('"RUN_STARTED"')) first = performance.now() - started;
        if (buffer.includes('"RUN_FINISHED"') || buffer.includes('"RUN_ERROR"')) break;
      }
      toFinished.push(performance.now() - started);
      toFirstEvent.push(first ?? Number.NaN);
      toRunning.push(await watchPhase);
    }
    console.log(summarize('create → phase Running', toRunning));
    console.log(summarize('create → first event (RUN_STARTED)', toFirstEvent));
    console.log(summarize('create → RUN_FINISHED', toFinished));
    console.log(`goals: running p50 ${percentile(toRunning, 0.5).toFixed(0)} ms vs 300 ms (ratio ${(percentile(toRunning, 0.5) / 300).toFixed(2)}), first event p50 ${percentile(toFirstEvent, 0.5).toFixed(0)} ms vs 1500 ms (ratio ${(percentile(toFirstEvent, 0.5) / 1500).toFixed(2)})`);
    await measureRunnerOverhead(api, dataDir);
  } finally {
    await platform.close();
    await model.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measureRunnerOverhead(api: (path: string, init?: RequestInit) => Promise<Response>, dataDir: string): Promise<void> {
  const created = await api('/api/projects/bench/agentic-sessions', { method: 'POST', body: JSON.stringify({ prompt: 'SLOW_TEXT 4000', interactive: false }) });
  const { name } = (await created.json()) as { name: string };
  const runnerPidFile = (): string | undefined => readdirSync(join(dataDir, 'runners')).find((file) => file.includes(name));
  let runnerPid: number | undefined;
  for (let attempt = 0; attempt < 200 && !runnerPid; attempt += 1) {
    const file = runnerPidFile();
    if (file) runnerPid = (JSON.parse(readFileSync(join(dataDir, 'runners', file), 'utf8')) as { pid: number }).pid;
    else await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const samples: { runner: number; cli: number }[] = [];
  const response = await api(`/api/projects/bench/agentic-sessions/${name}/agui/events?compact=false`);
  const decoder = new TextDecoder();
  let buffer = '';
  const contentTimestamps: number[] = [];
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const frames = buffer.split('\n\n');
    buffer = frames.pop() ?? '';
    for (const frame of frames) {
      if (frame.includes('"TEXT_MESSAGE_CONTENT"')) contentTimestamps.push(performance.now());
    }
    if (runnerPid && samples.length < 50) {
      const cli = childPids(runnerPid).map(rssKb).find((value) => value !== undefined);
      const runner = rssKb(runnerPid);
      if (runner && cli) samples.push({ runner, cli });
    }
    if (frames.some((frame) => frame.includes('"RUN_FINISHED"') || frame.includes('"RUN_ERROR"'))) break;
  }
  const spanSeconds = ((contentTimestamps.at(-1) ?? 0) - (contentTimestamps[0] ?? 0)) / 1000;
  console.log(`runner throughput: ${contentTimestamps.length} text events in ${spanSeconds.toFixed(2)} s = ${Math.round(contentTimestamps.length / spanSeconds)} events/s (SDK → runner → server → SSE)`);
  if (samples.length > 0) {
    const runnerMb = percentile(samples.map((sample) => sample.runner), 0.5) / 1024;
    const cliMb = percentile(samples.map((sample) => sample.cli), 0.5) / 1024;
    console.log(`runner memory: runner process ${runnerMb.toFixed(0)} MB RSS beside Claude Code ${cliMb.toFixed(0)} MB RSS (overhead ratio ${(runnerMb / cliMb).toFixed(2)})`);
  }
}
