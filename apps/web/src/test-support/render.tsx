/**
 * Rendering helpers for component tests: the real providers (TanStack Query, the typed client)
 * over a fake fetch that answers like the API server does, so components are tested with the real
 * client code and only the network is replaced.
 */
import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { RenderResult } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { AuthProvider } from '../features/auth/auth-context';
import { createQueryClient } from '../lib/query-client';

export const TEST_BASE_URL = 'http://ambient.test';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

export type Route = (request: RecordedRequest) => Response | Promise<Response> | undefined;

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A fetch that records requests and answers from `routes` (first non-undefined answer wins; else 404). */
export function fakeFetch(routes: Route[]): { fetch: typeof globalThis.fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetchFunction = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const text = typeof init.body === 'string' ? init.body : undefined;
    const request: RecordedRequest = {
      method: init.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers: new Headers(init.headers),
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
    requests.push(request);
    for (const route of routes) {
      const answer = await route(request);
      if (answer) return answer;
    }
    return json({ error: 'not_found', message: `no fake route for ${request.method} ${request.path}` }, 404);
  };
  return { fetch: fetchFunction as typeof globalThis.fetch, requests };
}

export function renderWithProviders(ui: ReactElement, options: { fetch: typeof globalThis.fetch; token?: string }): RenderResult {
  window.localStorage.setItem('ambient.token', options.token ?? 'test-token');
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false, staleTime: Infinity } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AuthProvider baseUrl={TEST_BASE_URL} fetch={options.fetch}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </AuthProvider>
  );
  return render(ui, { wrapper });
}
