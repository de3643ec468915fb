/**
 * One QueryClient for the app. The retry rule follows Headlamp's: an answer that says "who are you"
 * (401) or "not allowed" (403) will not change by asking again, so it is never retried; neither are
 * other 4xx answers (a missing project stays missing). Network trouble and 5xx get up to 3 tries.
 */
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ClientError } from '@ambient/client';

export const MAX_QUERY_ATTEMPTS = 3;

export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  if (error instanceof ClientError && error.status >= 400 && error.status < 500) {
    // 408 and 429 are "try again later" answers; every other 4xx is final.
    return (error.status === 408 || error.status === 429) && failureCount < MAX_QUERY_ATTEMPTS;
  }
  return failureCount < MAX_QUERY_ATTEMPTS;
}

export interface QueryClientOptions {
  /** Told about every failed query and mutation (the app signs out on a 401). */
  onError?: (error: unknown) => void;
}

export function createQueryClient(options: QueryClientOptions = {}): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: options.onError }),
    mutationCache: new MutationCache({ onError: options.onError }),
    defaultOptions: {
      queries: {
        retry: shouldRetryQuery,
        staleTime: 5_000,
        refetchOnWindowFocus: true,
      },
      // A POST whose answer was lost may already have taken effect: the user decides to try again.
      mutations: { retry: false },
    },
  });
}
