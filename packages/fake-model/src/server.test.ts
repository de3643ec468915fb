import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleClaudeCodeRequest } from './sample-requests.ts';
import { startFakeModel } from './server.ts';
import type { FakeModel, MessagesRequest, PlanFunction } from './types.ts';

let fake: FakeModel;

beforeEach(async () => {
  fake = await startFakeModel();
});
afterEach(async () => {
  await fake.close();
});

function postMessages(body: MessagesRequest, init: RequestInit = {}): Promise<Response> {
  return fetch(`${fake.url}/v1/messages?beta=true`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': 'secret-key',
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify(body),
    ...init,
  });
}

interface ParsedEvent {
  event: string;
  data: Record<string, unknown>;
}

/** A strict reader of the SSE framing: every frame must be exactly `event:` + `data:` lines. */
function parseSse(text: string): ParsedEvent[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((frame) => {
      const [eventLine = '', dataLine = '', ...rest] = frame.split('\n');
      expect(rest).toEqual([]);
      expect(eventLine).toMatch(/^event: /);
      expect(dataLine).toMatch(/^data: /);
      const data = JSON.parse(dataLine.slice('data: '.length)) as Record<string, unknown>;
      expect(data.type).toBe(eventLine.slice('event: '.length));
      return { event: eventLine.slice('event: '.length), data };
    });
}

describe('POST /v1/messages', () => {
  it('streams a tool call as SSE that reassembles into the planned input', async () => {
    const response = await postMessages(
      sampleClaudeCodeRequest({ prompt: 'WRITE_FILE a.txt hi', cwd: '/w' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await response.text());
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const json = events
      .filter((event) => event.event === 'content_block_delta')
      .map((event) => (event.data.delta as { partial_json: string }).partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ file_path: '/w/a.txt', content: 'hi' });
    expect(events[1]?.data.content_block).toMatchObject({
      type: 'tool_use',
      name: 'Write',
      id: expect.stringMatching(/^toolu_/),
    });
    expect(events[0]?.data.message).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      model: 'claude-opus-5-5',
    });
    expect(events[6]?.data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { output_tokens: 25 },
    });
  });

  it('answers stream:false with the JSON message', async () => {
    const response = await postMessages(sampleClaudeCodeRequest({ prompt: 'hi', stream: false }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: 'claude-opus-5-5',
      content: [{ type: 'text', text: 'Fake model reply to: hi' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 100, output_tokens: 25 },
    });
  });

  it('returns the Messages API error envelope for error replies', async () => {
    const response = await postMessages(sampleClaudeCodeRequest({ prompt: 'FAIL_529' }));
    expect(response.status).toBe(529);
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: expect.any(String) },
    });
  });

  it('breaks a streaming response after message_start but serves the fallback without streaming', async () => {
    const request = sampleClaudeCodeRequest({ prompt: 'BROKEN_STREAM' });
    const response = await postMessages(request);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('event: message_start');
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return 'ended cleanly';
      })(),
    ).rejects.toThrow();

    const fallback = await postMessages({ ...request, stream: false });
    expect(await fallback.json()).toMatchObject({
      content: [{ type: 'text', text: 'Fake model reply to: BROKEN_STREAM' }],
    });
  });

  it('streams slow text word by word with pauses, and keeps serving after a client abandons a stream', async () => {
    fake.setPlan(() => ({ kind: 'slow-text', text: 'a b c d e f g h i j', chunkDelayMs: 40 }));
    const started = Date.now();
    const events = parseSse(
      await (await postMessages(sampleClaudeCodeRequest({ prompt: 'x' }))).text(),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(events.filter((event) => event.event === 'content_block_delta')).toHaveLength(10);

    fake.setPlan(() => ({ kind: 'slow-text', text: 'word '.repeat(500), chunkDelayMs: 20 }));
    const abort = new AbortController();
    const response = await postMessages(sampleClaudeCodeRequest({ prompt: 'x' }), {
      signal: abort.signal,
    });
    await response.body!.getReader().read();
    abort.abort();
    // The server must still answer new requests promptly after an abandoned stream.
    const next = await postMessages(sampleClaudeCodeRequest({ prompt: 'x', stream: false }));
    expect(next.status).toBe(200);
  });

  it('passes the request index and earlier requests to the plan, and setPlan swaps it', async () => {
    const seen: Array<{ index: number; previous: number }> = [];
    const plan: PlanFunction = (_request, context) => {
      seen.push({ index: context.requestIndex, previous: context.previousRequests.length });
      return { kind: 'message', blocks: [{ type: 'text', text: `reply ${context.requestIndex}` }] };
    };
    fake.setPlan(plan);
    await (await postMessages(sampleClaudeCodeRequest({ prompt: 'a', stream: false }))).json();
    const second = (await (
      await postMessages(sampleClaudeCodeRequest({ prompt: 'b', stream: false }))
    ).json()) as {
      content: Array<{ text: string }>;
    };
    expect(seen).toEqual([
      { index: 0, previous: 0 },
      { index: 1, previous: 1 },
    ]);
    expect(second.content[0]?.text).toBe('reply 1');
  });

  it('turns a throwing plan into a visible 500 api_error', async () => {
    fake.setPlan(() => {
      throw new Error('plan bug');
    });
    const response = await postMessages(sampleClaudeCodeRequest({ prompt: 'x' }));
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).toContain('plan bug');
  });

  it('rejects a body without messages', async () => {
    const response = await postMessages({} as MessagesRequest);
    expect(response.status).toBe(400);
  });
});

describe('other routes and recording', () => {
  it('serves count_tokens, the preconnect HEADs and a 404 for the rest', async () => {
    const count = await fetch(`${fake.url}/v1/messages/count_tokens?beta=true`, {
      method: 'POST',
      body: JSON.stringify(sampleClaudeCodeRequest({ prompt: 'x' })),
    });
    expect(((await count.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(10);
    expect((await fetch(`${fake.url}/api/hello`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${fake.url}/`, { method: 'HEAD' })).status).toBe(200);
    const missing = await fetch(`${fake.url}/v1/models`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
  });

  it('records every request with path, query, redacted credentials and parsed body', async () => {
    const body = sampleClaudeCodeRequest({ prompt: 'record me', stream: false });
    await (await postMessages(body)).json();
    await (await fetch(`${fake.url}/nope`)).text();
    expect(fake.requests).toHaveLength(2);
    const [recorded, missing] = fake.requests;
    expect(recorded).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      query: 'beta=true',
      body,
    });
    expect(recorded?.headers['x-api-key']).toBe('[redacted]');
    expect(recorded?.headers['anthropic-version']).toBe('2023-06-01');
    expect(JSON.stringify(fake.requests)).not.toContain('secret-key');
    expect(missing).toMatchObject({ method: 'GET', path: '/nope', body: undefined });
  });

  it('listens on 127.0.0.1 with an OS-chosen port by default', () => {
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
    expect(fake.port).toBeGreaterThan(0);
  });
});
