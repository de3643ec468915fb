import { describe, expect, it } from 'vitest';
import { ClientError, ConnectionError } from '@ambient/client';
import { LISTING_POLL_MS, listingRefetchInterval, MAX_STARTING_ATTEMPTS, retryWorkspaceQuery, workspaceRetryDelayMs } from './use-workspace';

describe('workspace query rules', () => {
  it('never retries "unavailable" (503) or access answers, but retries network trouble', () => {
    expect(retryWorkspaceQuery(0, new ClientError(503, 'unavailable', 'not in this mode'))).toBe(false);
    expect(retryWorkspaceQuery(0, new ClientError(401, 'unauthorized', 'who are you'))).toBe(false);
    expect(retryWorkspaceQuery(0, new ClientError(403, 'forbidden', 'no'))).toBe(false);
    expect(retryWorkspaceQuery(0, new ClientError(404, 'not_found', 'gone'))).toBe(false);
    expect(retryWorkspaceQuery(0, new ConnectionError('http://x', new Error('ECONNREFUSED')))).toBe(true);
    expect(retryWorkspaceQuery(0, new ClientError(500, 'internal', 'oops'))).toBe(true);
  });

  it('waits for a starting workspace viewer (503 with Retry-After) as long as told, then gives up', () => {
    const starting = new ClientError(503, 'unavailable', 'starting the workspace viewer; retry shortly', undefined, 2);
    expect(retryWorkspaceQuery(0, starting)).toBe(true);
    expect(retryWorkspaceQuery(MAX_STARTING_ATTEMPTS - 1, starting)).toBe(true);
    expect(retryWorkspaceQuery(MAX_STARTING_ATTEMPTS, starting)).toBe(false);
    expect(workspaceRetryDelayMs(3, starting)).toBe(2000);
    expect(workspaceRetryDelayMs(1, new ClientError(500, 'internal', 'oops'))).toBe(2000);
    expect(workspaceRetryDelayMs(10, new ClientError(500, 'internal', 'oops'))).toBe(30_000);
  });

  it('polls the listing only while the session is live and the last answer was not an error', () => {
    expect(listingRefetchInterval(true)({ state: { status: 'success' } })).toBe(LISTING_POLL_MS);
    expect(listingRefetchInterval(true)({ state: { status: 'error' } })).toBe(false);
    expect(listingRefetchInterval(false)({ state: { status: 'success' } })).toBe(false);
  });
});
