/**
 * One HTTP request to the platform: URL building, the bearer token, JSON in and out, error mapping,
 * response validation, and retries for idempotent reads.
 */
import type { z } from 'zod';
import { backoffDelayMs, DEFAULT_BACKOFF, sleep } from './backoff.ts';
import type { BackoffOptions } from './backoff.ts';
import {
  ConnectionError,
  errorFromResponse,
  InvalidResponseError,
  isTransientStatus,
} from './errors.ts';

export type FetchFunction = typeof globalThis.fetch;

export interface TransportOptions {
  /** Where the platform listens, e.g. `http://127.0.0.1:8080` (a trailing `/api` is accepted too). */
  baseUrl: string;
  /** Bearer token; only `/health` works without one. */
  token?: string;
  /** A fetch implementation (tests, proxies, the browser's own); default: the global fetch. */
  fetch?: FetchFunction;
  /** How many times a GET is retried after a network error or a 502/503/504 (default 3). */
  getRetries?: number;
  /** Timing of those retries and of event-stream reconnects. */
  backoff?: BackoffOptions;
}

/** PUT replaces a whole resource (settings, secrets): repeating it is safe, but it is not retried like a GET. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions<Schema extends z.ZodType> {
  body?: unknown;
  /** Validates the 2xx body; omitted for responses without one (204). */
  schema?: Schema;
  signal?: AbortSignal;
}

const DEFAULT_GET_RETRIES = 3;

/**
 * Users paste the API base from the README (`…/api`) as often as the server's root; both work, and
 * paths below are always written from the root (`/api/projects`, `/health`).
 */
export function normalizeBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
  return `${url.origin}${path}`;
}

/** Encodes one path segment, so a name can never change the route it is part of. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

export class Transport {
  readonly baseUrl: string;
  readonly backoff: BackoffOptions;
  private readonly token: string | undefined;
  private readonly fetchFunction: FetchFunction;
  private readonly getRetries: number;

  constructor(options: TransportOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.token = options.token;
    // Bound so a browser's fetch is not called with `this` = the transport ("Illegal invocation").
    this.fetchFunction = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.getRetries = options.getRetries ?? DEFAULT_GET_RETRIES;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    return headers;
  }

  /** Sends the request once; network failures become ConnectionError (or the abort, unchanged). */
  async send(method: HttpMethod, path: string, init: RequestInit = {}): Promise<Response> {
    const url = this.url(path);
    try {
      return await this.fetchFunction(url, { ...init, method });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new ConnectionError(url, error);
    }
  }

  async request<Schema extends z.ZodType>(
    method: HttpMethod,
    path: string,
    options: RequestOptions<Schema> = {},
  ): Promise<z.infer<Schema>> {
    const hasBody = options.body !== undefined;
    const init: RequestInit = {
      headers: this.headers(hasBody ? { 'content-type': 'application/json' } : {}),
      body: hasBody ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
    };
    // Only reads are repeated: a POST whose response was lost may already have taken effect.
    const attempts = method === 'GET' ? this.getRetries + 1 : 1;
    for (let attempt = 1; ; attempt += 1) {
      let response: Response;
      try {
        response = await this.send(method, path, init);
      } catch (error) {
        if (!(error instanceof ConnectionError) || attempt >= attempts) throw error;
        await this.pause(attempt, options.signal);
        continue;
      }
      if (response.ok) return this.parse(method, path, response, options.schema);
      if (isTransientStatus(response.status) && attempt < attempts) {
        await response.body?.cancel().catch(() => undefined);
        await this.pause(attempt, options.signal);
        continue;
      }
      throw await errorFromResponse(response);
    }
  }

  private async pause(attempt: number, signal: AbortSignal | undefined): Promise<void> {
    await sleep(backoffDelayMs(attempt, this.backoff), signal);
    signal?.throwIfAborted();
  }

  private async parse<Schema extends z.ZodType>(
    method: HttpMethod,
    path: string,
    response: Response,
    schema: Schema | undefined,
  ): Promise<z.infer<Schema>> {
    if (!schema) {
      await response.body?.cancel().catch(() => undefined);
      return undefined as z.infer<Schema>;
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new InvalidResponseError(
        `${method} ${path} answered ${response.status} with a body that is not JSON`,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
      );
      throw new InvalidResponseError(
        `unexpected response from ${method} ${path}: ${issues.slice(0, 3).join('; ')}`,
      );
    }
    return parsed.data;
  }
}
