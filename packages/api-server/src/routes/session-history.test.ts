/**
 * History and export of a session over the real SQLite adapters: the folded messages with the
 * cursor to go on from, the JSON export (resource + every raw event) and the Markdown transcript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgenticSessionKind, ProjectKind } from '@ambient/contracts';
import type { SessionEvent } from '@ambient/contracts';
import { ConversationFold } from '@ambient/core';
import { scriptSession } from '@ambient/core/test-support/session-script';
import type { ApiDeps } from '../deps.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from '../test-support/embedded-deps.ts';
import { createStreamTestApp } from '../test-support/streams.ts';
import { fenced, MAX_TOOL_RESULT_CHARS } from '../transcript-markdown.ts';

const BASE = '/api/projects/p1/agentic-sessions/s1';

describe('session history and export', () => {
  let deps: ApiDeps;
  let closeDatabase: () => void;
  let app: ReturnType<typeof createStreamTestApp>;
  let log: SessionEvent[];
  let strangerToken = '';

  beforeAll(async () => {
    ({ deps, close: closeDatabase } = createTestDeps());
    app = createStreamTestApp(deps);
    await deps.store.create(ProjectKind, { metadata: { name: 'p1' }, spec: {} });
    const session = await deps.store.create(AgenticSessionKind, {
      metadata: { name: 's1', namespace: 'p1' },
      spec: { interactive: true, displayName: 'Fix the build' },
    });
    const events = scriptSession('s1', [
      { runId: 'r1', user: 'write a file', reasoning: 'plan', reply: 'done', tools: [{ name: 'Write', input: { path: 'a.txt' }, result: 'ok' }], costUsd: 0.5 },
      { runId: 'r2', user: 'run it', tools: [{ name: 'Bash', input: { command: 'cat big' }, result: 'y'.repeat(5_000), isError: true }], costUsd: 0.25 },
      { runId: 'r3', user: 'delegate', reply: 'asking', subagent: { name: 'explorer', reply: 'found ```code```' }, end: 'error' },
      { runId: 'r4', user: 'still going', reply: 'half', end: 'open' },
    ]);
    await deps.events.append(session.metadata.uid, events.map(({ seq: _seq, ...event }) => ({ event })));
    log = await deps.events.read(session.metadata.uid);
    await deps.identities.createUser({ name: 'stranger' });
    strangerToken = (await deps.identities.issueToken({ subject: { kind: 'user', userName: 'stranger' }, name: 't' })).token;
  });

  afterAll(() => closeDatabase());

  const get = (path: string, token = TEST_ADMIN_TOKEN) => app.request(path, { headers: { authorization: `Bearer ${token}` } });

  it('returns every message so far and the seq to stream on from', async () => {
    const response = await get(`${BASE}/agui/history`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { messages: unknown[]; lastSeq: number; state: unknown };
    const everything = new ConversationFold().applyAll(log);
    expect(body).toEqual({ messages: everything.messages, lastSeq: log.length, state: everything.state });
  });

  it('exports the resource and every raw event as a JSON attachment', async () => {
    const response = await get(`${BASE}/export?format=json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="s1.json"');
    const body = (await response.json()) as { session: { metadata: { name: string } }; exportedAt: string; events: SessionEvent[] };
    expect(body.session.metadata.name).toBe('s1');
    expect(Number.isNaN(Date.parse(body.exportedAt))).toBe(false);
    expect(body.events).toEqual(log);
  });

  it('exports a readable Markdown transcript', async () => {
    const response = await get(`${BASE}/export?format=markdown`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/markdown');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="s1.md"');
    const text = await response.text();
    for (const part of [
      '# Fix the build',
      '## Run 1 (success)',
      '**User**\n\nwrite a file',
      '**Thinking**\n\n> plan',
      '**Assistant**\n\ndone',
      '**Tool call** `Write` `r1-tool-0`\n\n```json\n{\n  "path": "a.txt"\n}\n```',
      '_$0.5000 · 1,200 input / 340 output tokens · 2 turn(s) · 1.5 s_',
      '## Run 2 (success)',
      '**Tool result (error)** `r2-tool-0`',
      `… [${5_000 - MAX_TOOL_RESULT_CHARS} more characters]`,
      '## Run 3 (failed)',
      '**Assistant (sub-agent explorer)**\n\nfound ```code```',
      fenced('found ```code```', ''),
      '> **Error:** Claude Code exited',
      '## Run 4 (in progress)',
      '**Total:** 4 run(s) · $0.7500 · 2,400 input / 680 output tokens',
    ]) {
      expect(text).toContain(part);
    }
    expect(fenced('found ```code```', '')).toMatch(/^````\n/);
  });

  it.each([
    ['an unknown format', `${BASE}/export?format=pdf`, TEST_ADMIN_TOKEN, 400],
    ['an outsider (history)', `${BASE}/agui/history`, 'STRANGER', 404],
    ['an outsider (export)', `${BASE}/export`, 'STRANGER', 404],
    ['an unknown session', '/api/projects/p1/agentic-sessions/nope/agui/history', TEST_ADMIN_TOKEN, 404],
  ])('refuses %s', async (_label, path, token, status) => {
    const response = await get(path, token === 'STRANGER' ? strangerToken : token);
    expect(response.status).toBe(status);
    expect(await response.json()).toHaveProperty('error');
  });
});
