/** List and create latency of the session API with 10,000 sessions stored (embedded SQLite). */
import { AgenticSessionKind, ProjectKind } from '@ambient/contracts';
import { createApp } from '@ambient/api-server';
import { createTestDeps, TEST_ADMIN_TOKEN } from '@ambient/api-server/test-support/embedded-deps';
import { summarize } from './stats.ts';

const STORED_SESSIONS = 10_000;

export async function benchSessionApi(): Promise<void> {
  const { deps, close } = createTestDeps();
  const app = createApp(deps);
  const call = async (method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  try {
    await deps.store.create(ProjectKind, { metadata: { name: 'bench' }, spec: {} });
    await deps.permissions.grant('bench', { subjectType: 'user', subjectName: 'admin', role: 'admin' });
    const seedStarted = performance.now();
    for (let index = 0; index < STORED_SESSIONS; index += 1) {
      await deps.store.create(AgenticSessionKind, {
        metadata: { name: `session-seed-${index}`, namespace: 'bench' },
        spec: { initialPrompt: `prompt ${index}`, interactive: index % 2 === 0, displayName: `Seed ${index}` },
      });
    }
    console.log(`seeded ${STORED_SESSIONS} sessions in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    const create: number[] = [];
    for (let index = 0; index < 200; index += 1) {
      const started = performance.now();
      const response = await call('POST', '/api/projects/bench/agentic-sessions', { prompt: 'hello' });
      await response.arrayBuffer();
      create.push(performance.now() - started);
    }
    console.log(summarize(`create with ${STORED_SESSIONS} stored`, create));

    for (const [label, path] of [
      ['list first page (100)', '/api/projects/bench/agentic-sessions?limit=100'],
      ['list with search', '/api/projects/bench/agentic-sessions?limit=100&search=seed%209'],
      ['get one', '/api/projects/bench/agentic-sessions/session-seed-5000'],
    ] as const) {
      const timings: number[] = [];
      for (let attempt = 0; attempt < 30; attempt += 1) {
        const started = performance.now();
        const response = await call('GET', path);
        await response.arrayBuffer();
        timings.push(performance.now() - started);
      }
      console.log(summarize(`${label} with ${STORED_SESSIONS} stored`, timings));
    }
  } finally {
    close();
  }
}
