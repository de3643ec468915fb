/** The runner in serve-workspace mode: serves files, leaves no runner state, and ends by itself. */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUNNER_ENV, RUNNER_EXIT } from '@ambient/contracts';
import { silentLogger } from './log.ts';
import { FakeChannelServer } from './test-support/channel-server.ts';
import { loadViewerConfig, runWorkspaceViewer } from './workspace-viewer.ts';
import type { ViewerExitReason } from './workspace-viewer.ts';

const TOKEN = 'awv1.viewer-test.token';

describe('workspace viewer', () => {
  let workspace: string;
  let server: FakeChannelServer;
  beforeEach(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'viewer-'));
    server = await FakeChannelServer.start({ token: TOKEN });
  });
  afterEach(async () => {
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  function start(env: Record<string, string> = {}, signals = new EventEmitter()) {
    const reasons: ViewerExitReason[] = [];
    const exited = runWorkspaceViewer({
      env: {
        [RUNNER_ENV.serverUrl]: server.url,
        [RUNNER_ENV.token]: TOKEN,
        [RUNNER_ENV.workspaceDir]: workspace,
        [RUNNER_ENV.viewerIdleSeconds]: '0.5',
        ...env,
      },
      signals,
      log: silentLogger,
      onExit: (reason) => reasons.push(reason),
    });
    return { exited, reasons, signals };
  }

  it('serves reads and writes of its workspace, then exits idle without leaving runner state', async () => {
    writeFileSync(join(workspace, 'hello.txt'), 'hi');
    const viewer = start();
    await server.waitFor(() => server.isConnected, 5_000, 'the viewer to connect');
    expect(await server.requestWorkspace({ op: 'read', path: 'hello.txt' })).toMatchObject({ kind: 'file', contentBase64: Buffer.from('hi').toString('base64') });
    expect(await server.requestWorkspace({ op: 'write', path: 'notes/n.md', contentBase64: Buffer.from('# n').toString('base64') })).toEqual({ kind: 'written', path: 'notes/n.md', size: 3 });
    expect(readFileSync(join(workspace, 'notes/n.md'), 'utf8')).toBe('# n');
    expect(await server.requestWorkspace({ op: 'read', path: '../etc/passwd' })).toMatchObject({ kind: 'error', code: 'forbidden' });
    expect(await viewer.exited).toBe(RUNNER_EXIT.success);
    expect(viewer.reasons).toEqual(['idle']);
    expect(existsSync(join(workspace, '.ambient'))).toBe(false);
    expect(server.receivedSeqs).toEqual([]);
  });

  it('stays while requests keep coming', async () => {
    const viewer = start({ [RUNNER_ENV.viewerIdleSeconds]: '0.4' });
    await server.waitFor(() => server.isConnected, 5_000, 'the viewer to connect');
    const startedAt = Date.now();
    while (Date.now() - startedAt < 1_000) {
      await server.requestWorkspace({ op: 'read', path: '' });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(viewer.reasons).toEqual([]);
    await viewer.exited;
    expect(viewer.reasons).toEqual(['idle']);
  });

  it('ends on SIGTERM, and when its lifetime is over', async () => {
    const signalled = start({ [RUNNER_ENV.viewerIdleSeconds]: '60' });
    await server.waitFor(() => server.isConnected, 5_000, 'the viewer to connect');
    signalled.signals.emit('SIGTERM');
    expect(await signalled.exited).toBe(RUNNER_EXIT.success);
    expect(signalled.reasons).toEqual(['signal']);
    const aged = start({ [RUNNER_ENV.viewerIdleSeconds]: '60', [RUNNER_ENV.viewerLifetimeSeconds]: '0.3' });
    await aged.exited;
    expect(aged.reasons).toEqual(['lifetime']);
  });

  it('ends when the server refuses its credential', async () => {
    const viewer = start({ [RUNNER_ENV.token]: 'awv1.wrong.token', [RUNNER_ENV.viewerIdleSeconds]: '60' });
    expect(await viewer.exited).toBe(RUNNER_EXIT.success);
    expect(viewer.reasons).toEqual(['rejected']);
  });

  it('needs a server URL and a token; idle times must be positive', () => {
    expect(() => loadViewerConfig({})).toThrow(/AMBIENT_SERVER_URL is not set/);
    expect(() => loadViewerConfig({ [RUNNER_ENV.serverUrl]: 'http://x' })).toThrow(/AMBIENT_RUNNER_TOKEN is not set/);
    expect(() => loadViewerConfig({ [RUNNER_ENV.serverUrl]: 'http://x', [RUNNER_ENV.token]: 't', [RUNNER_ENV.viewerIdleSeconds]: '-1' })).toThrow(/positive/);
    expect(loadViewerConfig({ [RUNNER_ENV.serverUrl]: 'http://x', [RUNNER_ENV.token]: 't' }, '/w')).toMatchObject({ workspaceDir: '/w', idleMs: 300_000, lifetimeMs: 3_600_000 });
  });
});
