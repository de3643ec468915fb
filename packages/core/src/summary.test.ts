import { describe, expect, it } from 'vitest';
import { CUSTOM_EVENT, EventType } from '@ambient/contracts';
import type { AgUiEvent } from '@ambient/contracts';
import { EMPTY_SUMMARY, foldSummary } from './summary.ts';

const reposEvent = (value: unknown): AgUiEvent => ({
  type: EventType.CUSTOM,
  timestamp: 1,
  name: CUSTOM_EVENT.repos,
  value,
});

describe('foldSummary: ambient.repos', () => {
  it('keeps the last reported repositories in status.repos form', () => {
    const first = foldSummary(
      EMPTY_SUMMARY,
      reposEvent({
        repos: [
          { name: 'app', url: 'https://h/app.git', branch: 'ambient/s', status: 'Ready' },
          {
            name: 'lib',
            url: 'https://h/lib.git',
            branch: 'ambient/s',
            status: 'Failed',
            message: 'not found',
          },
        ],
      }),
      1,
      1,
      '2026-01-01T00:00:00.000Z',
    );
    expect(first.repos).toEqual([
      { name: 'app', url: 'https://h/app.git', branch: 'ambient/s', status: 'Ready' },
      // `message` is not a status.repos field: the reason lives in the run's error.
      { name: 'lib', url: 'https://h/lib.git', branch: 'ambient/s', status: 'Failed' },
    ]);
    const second = foldSummary(
      first,
      reposEvent({ repos: [{ name: 'app', branch: 'feature', status: 'Ready' }] }),
      2,
      2,
      '2026-01-01T00:00:01.000Z',
    );
    expect(second.repos).toEqual([{ name: 'app', branch: 'feature', status: 'Ready' }]);
  });

  it('ignores a malformed value', () => {
    const summary = foldSummary(EMPTY_SUMMARY, reposEvent({ repos: 'nope' }), 1, 1, 'x');
    expect(summary.repos).toBeUndefined();
  });
});
