import { describe, expect, it } from 'vitest';
import type { AgenticSession } from '@ambient/contracts';
import { formatSessionDetails } from './session-details.ts';
import { formatProjectTable, formatSessionTable, formatTable } from './table.ts';
import { summarizeToolArguments } from './tool-summary.ts';
import { formatAge, formatCostUsd, formatDurationMs, truncate } from './values.ts';

const NOW = new Date('2026-11-24T12:00:00Z');

function session(
  name: string,
  fields: { phase?: AgenticSession['status']; created: string; displayName?: string },
): AgenticSession {
  return {
    apiVersion: 'vteam.ambient-code/v1alpha1',
    kind: 'AgenticSession',
    metadata: { name, namespace: 'demo', creationTimestamp: fields.created },
    spec: {
      interactive: false,
      displayName: fields.displayName,
      initialPrompt: 'WRITE_FILE hello.txt hi\nmore',
    },
    status: fields.phase,
  };
}

describe('tables', () => {
  it('aligns columns without trailing spaces', () => {
    expect(
      formatTable(
        ['A', 'LONGER'],
        [
          ['x', ''],
          ['yyy', 'z'],
        ],
      ),
    ).toBe('A    LONGER\nx\nyyy  z\n');
  });

  it('lists sessions with name, phase, age and display name', () => {
    const sessions = [
      session('session-b', {
        phase: { phase: 'Running' },
        created: '2026-11-24T11:58:30Z',
        displayName: 'chat',
      }),
      session('session-a', { phase: { phase: 'Completed' }, created: '2026-11-22T09:00:00Z' }),
      session('session-new', { created: '2026-11-24T11:59:55Z' }),
    ];
    expect(formatSessionTable(sessions, NOW)).toBe(
      [
        'NAME         PHASE      CREATED  DISPLAY NAME',
        'session-b    Running    1m ago   chat',
        'session-a    Completed  2d ago',
        'session-new  Pending    5s ago',
        '',
      ].join('\n'),
    );
  });

  it('lists projects', () => {
    expect(
      formatProjectTable(
        [{ name: 'demo', displayName: 'Demo', creationTimestamp: '2026-11-24T09:00:00Z' }],
        NOW,
      ),
    ).toBe('NAME  CREATED  DISPLAY NAME\ndemo  3h ago   Demo\n');
  });
});

describe('values', () => {
  it('formats ages, costs and durations', () => {
    expect(formatAge(undefined, NOW)).toBe('-');
    expect(formatAge('2026-11-24T12:00:10Z', NOW)).toBe('0s ago'); // a clock ahead of ours
    expect(formatCostUsd(0.00271)).toBe('$0.0027');
    expect(formatCostUsd(12.5)).toBe('$12.50');
    expect(formatDurationMs(2_340)).toBe('2.3 s');
    expect(formatDurationMs(125_000)).toBe('2 min 5 s');
    expect(truncate('abcdef', 4)).toBe('abc…');
  });

  it('summarises tool arguments by the field that says what the call does', () => {
    expect(summarizeToolArguments('{"file_path":"/w/a/b.txt","content":"x"}', '/w')).toBe(
      'a/b.txt',
    );
    expect(summarizeToolArguments('{"file_path":"/elsewhere/b.txt"}', '/w')).toBe(
      '/elsewhere/b.txt',
    );
    expect(summarizeToolArguments('{"command":"npm test\\nnpm run lint"}', undefined)).toBe(
      'npm test',
    );
    expect(summarizeToolArguments('{"unknown":1}', undefined)).toBe('');
    expect(summarizeToolArguments('{"command":"cut off', undefined)).toBe('{"command":"cut off');
  });
});

describe('session details', () => {
  it('shows the facts that are set, one labelled line each', () => {
    const details = formatSessionDetails(
      {
        ...session('session-a', { created: '2026-11-24T11:00:00Z' }),
        status: {
          phase: 'Completed',
          runCount: 1,
          result: {
            subtype: 'success',
            isError: false,
            numTurns: 3,
            totalCostUsd: 0.0027,
            durationMs: 2_340,
          },
          conditions: [
            { type: 'Ready', status: 'False', reason: 'Completed', message: 'the run finished' },
          ],
        },
      },
      NOW,
    );
    expect(details).toBe(
      [
        'Name:            session-a',
        'Project:         demo',
        'Phase:           Completed',
        'Interactive:     no',
        'Created:         2026-11-24T11:00:00Z (1h ago)',
        'Prompt:          WRITE_FILE hello.txt hi',
        'Runs:            1',
        'Result:          success · 3 turns · $0.0027 · 2.3 s',
        'Condition Ready: False Completed: the run finished',
        '',
      ].join('\n'),
    );
  });
});
