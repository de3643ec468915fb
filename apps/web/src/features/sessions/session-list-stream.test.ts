import { describe, expect, it } from 'vitest';
import type { ProjectEvent, SessionListEntry } from '@ambient/client';
import type { AgenticSession, SessionPhase } from '@ambient/contracts';
import { SessionListOverlay } from './session-list-stream';

function rest(name: string, resourceVersion: number, phase: SessionPhase = 'Running', created = `2026-11-24T10:00:0${name.length % 10}Z`): AgenticSession {
  return {
    apiVersion: 'vteam.ambient-code/v1alpha1',
    kind: 'AgenticSession',
    metadata: { name, uid: `uid-${name}`, resourceVersion: String(resourceVersion), creationTimestamp: created },
    spec: { interactive: true, llmSettings: { model: 'claude-test' } },
    status: { phase, result: { subtype: 'success', isError: false, totalCostUsd: 0.5, usage: { input_tokens: 1 } } },
  };
}

const entry = (name: string, phase: SessionPhase, fields: Partial<SessionListEntry> = {}): SessionListEntry => ({
  name,
  uid: `uid-${name}`,
  phase,
  interactive: true,
  createdAt: '2026-11-24T10:00:00Z',
  ...fields,
});
const reset = (version: number, ...sessions: SessionListEntry[]): ProjectEvent => ({
  type: 'reset',
  resourceVersion: String(version),
  sessions,
});
const change = (version: number, action: 'ADDED' | 'MODIFIED' | 'DELETED', session: SessionListEntry): ProjectEvent => ({
  type: 'session',
  action,
  session,
  resourceVersion: String(version),
});

const phases = (sessions: readonly AgenticSession[]) => sessions.map((session) => `${session.metadata.name}:${session.status?.phase}`);

describe('SessionListOverlay', () => {
  it('leaves a REST list alone until the stream says something', () => {
    const list = [rest('a', 3), rest('b', 4)];
    expect(new SessionListOverlay().reconcile(list)).toEqual({ sessions: list, partial: false });
  });

  it('applies changes newer than the REST copy and keeps the REST copy when it is newer', () => {
    const overlay = new SessionListOverlay();
    overlay.apply(reset(10, entry('a', 'Running'), entry('b', 'Running')));
    overlay.apply(change(12, 'MODIFIED', entry('a', 'Completed', { result: { subtype: 'success', isError: false, totalCostUsd: 1.25 } })));
    // The REST answer was served at version 11 (before a completed) but arrives now; b changed at 13.
    const { sessions, partial } = overlay.reconcile([rest('a', 9), rest('b', 13, 'Stopped')]);
    expect(phases(sessions)).toEqual(['a:Completed', 'b:Stopped']);
    expect(partial).toBe(false);
    // Stream fields replace theirs; what the entry does not carry (spec, usage) stays.
    expect(sessions[0]?.status?.result).toEqual({ subtype: 'success', isError: false, totalCostUsd: 1.25, usage: { input_tokens: 1 }, numTurns: undefined, durationMs: undefined });
    expect(sessions[0]?.spec.llmSettings?.model).toBe('claude-test');
  });

  it('drops deleted sessions, and sessions the reset no longer listed, unless the REST copy is newer', () => {
    const overlay = new SessionListOverlay();
    overlay.apply(reset(10, entry('a', 'Running'), entry('b', 'Running')));
    overlay.apply(change(11, 'DELETED', entry('b', 'Running')));
    // c was gone at the reset (version 10); d was created after it (version 14), the stream has yet to say.
    const { sessions } = overlay.reconcile([rest('a', 5), rest('b', 6), rest('c', 7), rest('d', 14)]);
    expect(phases(sessions)).toEqual(['a:Running', 'd:Running']);
  });

  it('adds sessions the REST copy does not have yet, newest first, and says they are partial', () => {
    const overlay = new SessionListOverlay();
    overlay.apply(reset(10, entry('a', 'Running')));
    overlay.apply(change(11, 'ADDED', entry('zz-new', 'Pending', { createdAt: '2026-11-25T00:00:00Z', displayName: 'New one', createdBy: 'alice' })));
    const { sessions, partial } = overlay.reconcile([rest('a', 5)]);
    expect(phases(sessions)).toEqual(['zz-new:Pending', 'a:Running']);
    expect(partial).toBe(true);
    expect(sessions[0]).toMatchObject({
      metadata: { name: 'zz-new', uid: 'uid-zz-new', creationTimestamp: '2026-11-25T00:00:00Z' },
      spec: { interactive: true, displayName: 'New one', userContext: { userId: 'alice' } },
    });
    // Once the stream is down it could miss the deletion: a polled list is then shown as it is.
    overlay.clear();
    expect(phases(overlay.reconcile([rest('a', 5)]).sessions)).toEqual(['a:Running']);
  });

  it('ignores a repeat of older news, and a new session under an old name replaces the old row', () => {
    const overlay = new SessionListOverlay();
    overlay.apply(change(20, 'MODIFIED', entry('a', 'Completed')));
    overlay.apply(change(18, 'MODIFIED', entry('a', 'Running')));
    expect(phases(overlay.reconcile([rest('a', 5)]).sessions)).toEqual(['a:Completed']);
    overlay.apply(change(21, 'ADDED', entry('a', 'Pending', { uid: 'uid-second' })));
    const { sessions, partial } = overlay.reconcile([rest('a', 5)]);
    expect(sessions[0]).toMatchObject({ metadata: { uid: 'uid-second' }, status: { phase: 'Pending' } });
    expect(sessions[0]?.spec.llmSettings).toBeUndefined();
    expect(partial).toBe(true);
  });
});
