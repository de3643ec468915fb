/** Viewer credentials: scoped, expiring, unforgeable, and never taken for a runner token (or back). */
import { describe, expect, it } from 'vitest';
import { mintRunnerToken, verifyRunnerToken } from './runner-token.ts';
import { mintWorkspaceViewerToken, verifyWorkspaceViewerToken } from './workspace-viewer-token.ts';

const SECRET = 'viewer-token-test-secret';
const NOW = 1_900_000_000;
const claims = { project: 'p1', sessionName: 's1', sessionUid: 'uid-1', exp: NOW + 60 };

describe('workspace viewer tokens', () => {
  it('round-trips the claims', () => {
    expect(verifyWorkspaceViewerToken(mintWorkspaceViewerToken(claims, SECRET), SECRET, NOW)).toEqual(claims);
  });

  it('refuses expired, forged, and otherwise-signed tokens', () => {
    const token = mintWorkspaceViewerToken(claims, SECRET);
    expect(verifyWorkspaceViewerToken(token, SECRET, NOW + 60)).toBeUndefined();
    expect(verifyWorkspaceViewerToken(token, 'another-secret', NOW)).toBeUndefined();
    const [prefix, , signature] = token.split('.');
    const widened = Buffer.from(JSON.stringify({ ...claims, sessionUid: 'uid-2' })).toString('base64url');
    expect(verifyWorkspaceViewerToken(`${prefix}.${widened}.${signature}`, SECRET, NOW)).toBeUndefined();
    expect(verifyWorkspaceViewerToken(`${token}.extra`, SECRET, NOW)).toBeUndefined();
  });

  it('is never accepted as a runner token, and a runner token never as a viewer token', () => {
    const viewer = mintWorkspaceViewerToken(claims, SECRET);
    expect(verifyRunnerToken(viewer, SECRET, NOW)).toBeUndefined();
    expect(verifyRunnerToken(`art1.${viewer.split('.').slice(1).join('.')}`, SECRET, NOW)).toBeUndefined();
    const runner = mintRunnerToken({ ...claims, runNumber: 1 }, SECRET);
    expect(verifyWorkspaceViewerToken(runner, SECRET, NOW)).toBeUndefined();
    expect(verifyWorkspaceViewerToken(`awv1.${runner.split('.').slice(1).join('.')}`, SECRET, NOW)).toBeUndefined();
  });
});
