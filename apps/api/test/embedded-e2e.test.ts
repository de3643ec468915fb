/**
 * End to end, with real parts: the platform process (as `npm start` runs it), SQLite, the runner
 * child process, the real Claude Code CLI, and the project's fake model API. A session writes a
 * file and runs a command; we follow its SSE stream to RUN_FINISHED, find the files in the
 * workspace, see phase Completed, and resume the stream from a Last-Event-ID.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeModel } from '@ambient/fake-model';
import type { FakeModel } from '@ambient/fake-model';
import { readSse } from '@ambient/testing/sse-client';
import { startPlatformProcess } from '@ambient/testing/platform-process';
import type { PlatformProcess } from '@ambient/testing/platform-process';

interface StreamedEvent {
  seq: number;
  type: string;
  [key: string]: unknown;
}

describe('embedded platform end to end', () => {
  let dataDir: string;
  let model: FakeModel;
  let platform: PlatformProcess;

  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${platform.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json', ...init.headers },
    });

  async function collectUntil(path: string, headers: Record<string, string>, stop: (event: StreamedEvent) => boolean) {
    const controller = new AbortController();
    const response = await api(path, { headers, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events: StreamedEvent[] = [];
    for await (const frame of readSse(response)) {
      const event = JSON.parse(frame.data) as StreamedEvent;
      expect(frame.id).toBe(String(event.seq));
      events.push(event);
      if (stop(event)) break;
    }
    controller.abort();
    return events;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ambient-e2e-'));
    model = await startFakeModel();
    platform = await startPlatformProcess({
      AMBIENT_DATA_DIR: dataDir,
      ANTHROPIC_API_KEY: 'test-key-not-real',
      ANTHROPIC_BASE_URL: model.url,
      AMBIENT_DEMO_MODEL: 'off',
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await model?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a session with Write and Bash through to Completed, and resumes its stream exactly', async () => {
    expect((await fetch(`${platform.url}/health`)).status).toBe(200);
    const created = await api('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'team-a' }) });
    expect(created.status).toBe(201);

    const sessionResponse = await api('/api/projects/team-a/agentic-sessions', {
      method: 'POST',
      body: JSON.stringify({
        prompt: 'WRITE_FILE hello.txt hello from the agent\nRUN_BASH echo bash-ok > bash.txt',
        interactive: false,
      }),
    });
    expect(sessionResponse.status).toBe(201);
    const { name, uid } = (await sessionResponse.json()) as { name: string; uid: string };
    expect(name).toMatch(/^session-[a-z0-9]+$/);
    expect(uid).toBeTruthy();

    // Raw events (no compaction of finished runs), so the sequence can be compared event by event.
    const eventsPath = `/api/projects/team-a/agentic-sessions/${name}/agui/events?compact=false`;
    const events = await collectUntil(eventsPath, {}, (event) => event.type === 'RUN_FINISHED' || event.type === 'RUN_ERROR');
    const types = events.map((event) => event.type);
    expect(types).toContain('RUN_STARTED');
    expect(types.at(-1)).toBe('RUN_FINISHED');
    const toolNames = events.filter((event) => event.type === 'TOOL_CALL_START').map((event) => event.toolCallName);
    expect(toolNames).toEqual(['Write', 'Bash']);
    expect(types).toContain('TOOL_CALL_RESULT');
    expect(types).toContain('TEXT_MESSAGE_CONTENT');
    expect(events.map((event) => event.seq)).toEqual(events.map((_event, index) => index + 1));

    const workspace = join(dataDir, 'workspaces', 'team-a', name, 'artifacts');
    expect(readFileSync(join(workspace, 'hello.txt'), 'utf8')).toContain('hello from the agent');
    expect(readFileSync(join(workspace, 'bash.txt'), 'utf8').trim()).toBe('bash-ok');

    let session: { status?: { phase?: string; result?: { numTurns?: number; isError?: boolean } } } = {};
    for (let attempt = 0; attempt < 100 && session.status?.phase !== 'Completed'; attempt += 1) {
      session = (await (await api(`/api/projects/team-a/agentic-sessions/${name}`)).json()) as typeof session;
      if (session.status?.phase !== 'Completed') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(session.status?.phase).toBe('Completed');
    expect(session.status?.result?.isError).toBe(false);

    // Everything stored for the session, then a resume from the middle gets exactly the rest.
    const lastSeq = events.at(-1)!.seq;
    const all = await collectUntil(eventsPath, {}, (event) => event.seq === lastSeq);
    expect(all.map((event) => event.seq)).toEqual(events.map((event) => event.seq));
    const resumeFrom = Math.floor(lastSeq / 2);
    const resumed = await collectUntil(eventsPath, { 'last-event-id': String(resumeFrom) }, (event) => event.seq >= lastSeq);
    expect(resumed.map((event) => event.seq)).toEqual(
      Array.from({ length: lastSeq - resumeFrom }, (_value, index) => resumeFrom + index + 1),
    );
    expect(resumed).toEqual(events.slice(resumeFrom));
    expect(existsSync(join(dataDir, 'ambient.db'))).toBe(true);
    // The phase change is in the stream too, so watchers learn that the session ended.
    const lifecycle = await collectUntil(eventsPath, { 'last-event-id': String(lastSeq) }, (event) => event.type === 'CUSTOM' && (event.value as { phase?: string })?.phase === 'Completed');
    expect(lifecycle.at(-1)).toMatchObject({ name: 'ambient.lifecycle', value: { phase: 'Completed', reason: 'Completed' } });
  }, 90_000);

  it('takes follow-up messages in an interactive session, then stops it on request', async () => {
    await api('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'team-b' }) });
    const created = await api('/api/projects/team-b/agentic-sessions', {
      method: 'POST',
      body: JSON.stringify({ initialPrompt: 'Say hello', displayName: 'chat' }),
    });
    expect(created.status).toBe(201);
    const { name } = (await created.json()) as { name: string };
    const base = `/api/projects/team-b/agentic-sessions/${name}`;
    const isRunEnd = (event: StreamedEvent): boolean => event.type === 'RUN_FINISHED' || event.type === 'RUN_ERROR';

    const firstRun = await collectUntil(`${base}/agui/events`, {}, isRunEnd);
    expect(firstRun.at(-1)?.type).toBe('RUN_FINISHED');
    const reply = firstRun.filter((event) => event.type === 'TEXT_MESSAGE_CONTENT').map((event) => event.delta).join('');
    expect(reply).toContain('Fake model reply to: Say hello');

    const followUp = await api(`${base}/agui/run`, {
      method: 'POST',
      body: JSON.stringify({ message: 'RUN_BASH echo second-turn > second.txt' }),
    });
    expect(followUp.status).toBe(202);
    const afterFirst = String(firstRun.at(-1)!.seq);
    const secondRun = await collectUntil(`${base}/agui/events`, { 'last-event-id': afterFirst }, isRunEnd);
    expect(secondRun[0]?.seq).toBe(firstRun.at(-1)!.seq + 1);
    expect(secondRun.map((event) => event.type)).toContain('TOOL_CALL_START');
    expect(secondRun.at(-1)?.type).toBe('RUN_FINISHED');
    const workspace = join(dataDir, 'workspaces', 'team-b', name, 'artifacts');
    expect(readFileSync(join(workspace, 'second.txt'), 'utf8').trim()).toBe('second-turn');

    // The model saw the first turn when answering the second: one conversation, not two.
    const lastRequest = model.requests.filter((request) => request.path.startsWith('/v1/messages')).at(-1);
    expect(JSON.stringify(lastRequest?.body)).toContain('Say hello');

    expect((await api(`${base}/stop`, { method: 'POST' })).status).toBe(202);
    let session: { status?: { phase?: string; stoppedReason?: string } } = {};
    for (let attempt = 0; attempt < 150 && session.status?.phase !== 'Stopped'; attempt += 1) {
      session = (await (await api(base)).json()) as typeof session;
      if (session.status?.phase !== 'Stopped') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(session.status).toMatchObject({ phase: 'Stopped', stoppedReason: 'user' });
    const refused = await api(`${base}/agui/run`, { method: 'POST', body: JSON.stringify({ message: 'more' }) });
    expect(refused.status).toBe(409);
  }, 90_000);

  it('survives a runner killed with SIGKILL: the session fails clearly, and a restart resumes the conversation', async () => {
    await api('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'team-c' }) });
    const created = await api('/api/projects/team-c/agentic-sessions', {
      method: 'POST',
      body: JSON.stringify({ initialPrompt: 'Remember the word PINEAPPLE' }),
    });
    const { name } = (await created.json()) as { name: string };
    const base = `/api/projects/team-c/agentic-sessions/${name}`;
    const isRunEnd = (event: StreamedEvent): boolean => event.type === 'RUN_FINISHED' || event.type === 'RUN_ERROR';
    const firstRun = await collectUntil(`${base}/agui/events?compact=false`, {}, isRunEnd);
    expect(firstRun.at(-1)?.type).toBe('RUN_FINISHED');

    const pidFile = join(dataDir, 'runners', `team-c__${name}-run-1.json`);
    const { pid } = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');

    const waitForPhase = async (phase: string) => {
      let session: { status?: { phase?: string; runCount?: number; conditions?: { type: string; reason?: string; message?: string }[] } } = {};
      for (let attempt = 0; attempt < 150 && session.status?.phase !== phase; attempt += 1) {
        session = (await (await api(base)).json()) as typeof session;
        if (session.status?.phase !== phase) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return session;
    };
    const failed = await waitForPhase('Failed');
    expect(failed.status?.phase).toBe('Failed');
    const ready = failed.status?.conditions?.find((condition) => condition.type === 'Ready');
    expect(ready?.reason).toBe('RunnerFailed');
    expect(ready?.message).toMatch(/exit|killed|signal|137/i);

    expect((await api(`${base}/start`, { method: 'POST' })).status).toBe(202);
    const running = await waitForPhase('Running');
    expect(running.status?.runCount).toBe(2);
    const requestsBefore = model.requests.length;
    expect((await api(`${base}/agui/run`, { method: 'POST', body: JSON.stringify({ message: 'Which word?' }) })).status).toBe(202);
    const lastSeq = firstRun.at(-1)!.seq;
    const secondRun = await collectUntil(`${base}/agui/events?compact=false`, { 'last-event-id': String(lastSeq) }, isRunEnd);
    expect(secondRun[0]?.seq).toBeGreaterThan(lastSeq);
    expect(secondRun.some((event) => event.type === 'RUN_FINISHED')).toBe(true);
    const resumedRequest = model.requests.slice(requestsBefore).find((request) => JSON.stringify(request.body).includes('Which word?'));
    // The new runner continued the same conversation: the model sees the first turn again.
    expect(JSON.stringify(resumedRequest?.body)).toContain('PINEAPPLE');
    await api(`${base}/stop`, { method: 'POST' });
  }, 90_000);

  it('continues from a parent session: its files and its conversation, forked', async () => {
    await api('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'team-d' }) });
    const waitForPhase = async (name: string, phase: string) => {
      let session: { status?: { phase?: string; sdkSessionId?: string } } = {};
      for (let attempt = 0; attempt < 200 && session.status?.phase !== phase; attempt += 1) {
        session = (await (await api(`/api/projects/team-d/agentic-sessions/${name}`)).json()) as typeof session;
        if (session.status?.phase !== phase) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return session;
    };
    const parentResponse = await api('/api/projects/team-d/agentic-sessions', {
      method: 'POST',
      body: JSON.stringify({ prompt: 'WRITE_FILE notes.txt MANGO', interactive: false }),
    });
    const parent = (await parentResponse.json()) as { name: string };
    const parentDone = await waitForPhase(parent.name, 'Completed');
    expect(parentDone.status?.phase).toBe('Completed');

    const childResponse = await api('/api/projects/team-d/agentic-sessions', {
      method: 'POST',
      body: JSON.stringify({ prompt: 'Which word did you write?', interactive: false, parentSessionName: parent.name }),
    });
    expect(childResponse.status).toBe(201);
    const child = (await childResponse.json()) as { name: string };
    const childDone = await waitForPhase(child.name, 'Completed');
    expect(childDone.status?.phase).toBe('Completed');
    // The parent's files came along; the conversation is a fork (a new id) that remembers the parent's turn.
    expect(readFileSync(join(dataDir, 'workspaces', 'team-d', child.name, 'artifacts', 'notes.txt'), 'utf8')).toContain('MANGO');
    expect(childDone.status?.sdkSessionId).toBeTruthy();
    expect(childDone.status?.sdkSessionId).not.toBe(parentDone.status?.sdkSessionId);
    const childRequest = model.requests.find((request) => JSON.stringify(request.body).includes('Which word did you write?'));
    expect(JSON.stringify(childRequest?.body)).toContain('WRITE_FILE notes.txt MANGO');

    const orphan = await api('/api/projects/team-d/agentic-sessions', {
      method: 'POST',
      body: JSON.stringify({ prompt: 'x', parentSessionName: 'session-does-not-exist' }),
    });
    expect(orphan.status).toBe(404);
  }, 90_000);

  it('queues sessions beyond the project concurrency limit and starts them when a slot frees', async () => {
    await api('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'team-e' }) });
    expect((await api('/api/projects/team-e/settings', { method: 'PUT', body: JSON.stringify({ groupAccess: [], concurrencyLimit: 1 }) })).status).toBe(200);
    const create = async () =>
      ((await (await api('/api/projects/team-e/agentic-sessions', { method: 'POST', body: JSON.stringify({ initialPrompt: 'hello' }) })).json()) as { name: string }).name;
    type Observed = { status?: { phase?: string; conditions?: { type: string; reason?: string }[] } };
    const get = async (name: string) => (await (await api(`/api/projects/team-e/agentic-sessions/${name}`)).json()) as Observed;
    const waitFor = async (name: string, predicate: (session: Observed) => boolean) => {
      let session: Observed = {};
      for (let attempt = 0; attempt < 150; attempt += 1) {
        session = await get(name);
        if (predicate(session)) return session;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return session;
    };
    const first = await create();
    await waitFor(first, (session) => session.status?.phase === 'Running');
    const second = await create();
    const queued = await waitFor(second, (session) => session.status?.conditions?.some((condition) => condition.reason === 'Queued') ?? false);
    expect(queued.status?.phase).toBe('Pending');
    await api(`/api/projects/team-e/agentic-sessions/${first}/stop`, { method: 'POST' });
    const started = await waitFor(second, (session) => session.status?.phase === 'Running');
    expect(started.status?.phase).toBe('Running');
    await api(`/api/projects/team-e/agentic-sessions/${second}/stop`, { method: 'POST' });
  }, 90_000);

  it('turns groupAccess in the project settings into group permissions', async () => {
    await api('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'team-f' }) });
    const saved = await api('/api/projects/team-f/settings', {
      method: 'PUT',
      body: JSON.stringify({ groupAccess: [{ groupName: 'reviewers', role: 'view' }] }),
    });
    expect(saved.status).toBe(200);
    const groupsWithRoles = async () =>
      ((await (await api('/api/projects/team-f/permissions')).json()) as { items: { subjectType: string; subjectName: string; role: string }[] }).items
        .filter((permission) => permission.subjectType === 'group')
        .map((permission) => `${permission.subjectName}:${permission.role}`);
    let groups: string[] = [];
    for (let attempt = 0; attempt < 50 && !groups.includes('reviewers:view'); attempt += 1) {
      groups = await groupsWithRoles();
      if (!groups.includes('reviewers:view')) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(groups).toEqual(['reviewers:view']);
    await api('/api/projects/team-f/settings', { method: 'PUT', body: JSON.stringify({ groupAccess: [] }) });
    for (let attempt = 0; attempt < 50 && groups.length > 0; attempt += 1) {
      groups = await groupsWithRoles();
      if (groups.length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(groups).toEqual([]);
  }, 60_000);
});
