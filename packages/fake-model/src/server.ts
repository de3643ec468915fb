/**
 * The HTTP side of the fake: routes, request recording, and writing each kind of reply in the
 * streaming (SSE) or non-streaming (JSON) form the client asked for.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import {
  buildAssistantMessage,
  FALLBACK_MODEL,
  generateId,
  textReply,
} from './assistant-message.ts';
import { createDefaultPlan } from './default-plan.ts';
import { encodeSseEvent, splitIntoWords, streamEventsForMessage, type StreamEvent } from './sse.ts';
import type {
  AssistantMessage,
  FakeModel,
  FakeModelOptions,
  MessagesRequest,
  PlanFunction,
  RecordedRequest,
  Reply,
} from './types.ts';

/** Headers that carry credentials; recorded requests must be safe to print in test failures. */
const REDACTED_HEADERS = new Set(['x-api-key', 'authorization', 'proxy-authorization']);

export async function startFakeModel(options: FakeModelOptions = {}): Promise<FakeModel> {
  let plan: PlanFunction = options.plan ?? createDefaultPlan();
  const requests: RecordedRequest[] = [];
  const messageRequests: MessagesRequest[] = [];
  const defaultDeltaDelayMs = options.chunkDelayMs ?? 0;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug in a plan must show up as a visible API error in the test, not as a hung client.
      if (!response.headersSent) {
        sendError(response, 500, 'api_error', `fake model failure: ${String(error)}`);
      } else {
        response.destroy();
      }
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const [path = '/', query = ''] = (request.url ?? '/').split('?', 2);
    const rawBody = await readBody(request);
    const body = parseJson(rawBody);
    requests.push({
      method: request.method ?? 'GET',
      path,
      query,
      headers: recordedHeaders(request),
      body,
      receivedAt: new Date(),
    });

    if (request.method === 'HEAD' && (path === '/' || path === '/api/hello')) {
      // Claude Code's fire-and-forget preconnect; any status would do.
      response.writeHead(200).end();
      return;
    }
    if (request.method === 'POST' && path === '/v1/messages/count_tokens') {
      sendJson(response, 200, { input_tokens: estimateTokens(rawBody) });
      return;
    }
    if (request.method === 'POST' && path === '/v1/messages') {
      if (!isMessagesRequest(body)) {
        sendError(response, 400, 'invalid_request_error', 'messages: expected an array');
        return;
      }
      const previousRequests = messageRequests.slice();
      messageRequests.push(body);
      const reply = plan(body, { requestIndex: previousRequests.length, previousRequests });
      await sendReply(response, body, reply, defaultDeltaDelayMs);
      return;
    }
    sendError(response, 404, 'not_found_error', `no route for ${request.method} ${path}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    requests,
    setPlan(next) {
      plan = next;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from a CLI that is still running would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}

async function sendReply(
  response: ServerResponse,
  request: MessagesRequest,
  reply: Reply,
  defaultDeltaDelayMs: number,
): Promise<void> {
  const model = typeof request.model === 'string' ? request.model : FALLBACK_MODEL;
  const streaming = request.stream === true;
  switch (reply.kind) {
    case 'error':
      sendError(response, reply.status, reply.errorType, reply.message);
      return;
    case 'message': {
      const message = buildAssistantMessage(reply, model);
      if (!streaming) return sendJson(response, 200, message);
      await writeStream(response, streamEventsForMessage(message), defaultDeltaDelayMs);
      return;
    }
    case 'slow-text': {
      const message = buildAssistantMessage(textReply(reply.text), model);
      if (!streaming) return sendJson(response, 200, message);
      const events = streamEventsForMessage(message, { splitText: splitIntoWords });
      await writeStream(response, events, reply.chunkDelayMs);
      return;
    }
    case 'broken-stream': {
      const fallback = reply.fallback ?? textReply('Recovered without streaming.');
      const message = buildAssistantMessage(fallback, model);
      if (!streaming) return sendJson(response, 200, message);
      breakStream(response, message);
      return;
    }
  }
}

function startEventStream(response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': generateId('req'),
  });
  response.flushHeaders();
}

/**
 * Writes events in order, pausing before each content delta. Stops quietly when the client goes
 * away (an interrupt aborts the HTTP request), because writing to a closed socket is pointless.
 */
async function writeStream(
  response: ServerResponse,
  events: StreamEvent[],
  deltaDelayMs: number,
): Promise<void> {
  let clientGone = false;
  response.once('close', () => {
    clientGone = true;
  });
  startEventStream(response);
  for (const event of events) {
    if (event.type === 'content_block_delta' && deltaDelayMs > 0) await delay(deltaDelayMs);
    if (clientGone || response.destroyed) return;
    response.write(encodeSseEvent(event));
  }
  response.end();
}

/** `message_start`, then the socket is torn down mid-response, as a dropped connection would. */
function breakStream(response: ServerResponse, message: AssistantMessage): void {
  startEventStream(response);
  const [messageStart] = streamEventsForMessage(message);
  if (!messageStart) return;
  response.write(encodeSseEvent(messageStart), () => response.destroy());
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': generateId('req'),
  });
  response.end(text);
}

/** The Messages API error envelope, which the CLI's retry logic keys on (status + error.type). */
function sendError(
  response: ServerResponse,
  status: number,
  errorType: string,
  message: string,
): void {
  sendJson(response, status, { type: 'error', error: { type: errorType, message } });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isMessagesRequest(body: unknown): body is MessagesRequest {
  return (
    typeof body === 'object' && body !== null && Array.isArray((body as MessagesRequest).messages)
  );
}

function recordedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name] = REDACTED_HEADERS.has(name)
      ? '[redacted]'
      : Array.isArray(value)
        ? value.join(', ')
        : value;
  }
  return headers;
}

/** Roughly four characters per token, like the real tokenizer on English text and JSON. */
function estimateTokens(rawBody: string): number {
  return Math.max(1, Math.ceil(rawBody.length / 4));
}
