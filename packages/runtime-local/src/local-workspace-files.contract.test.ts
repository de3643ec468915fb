/** The embedded adapter (a directory per session) against the WorkspaceFiles contract. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWorkspaceFilesContract } from '@ambient/testing';
import { LocalWorkspaceFiles } from './local-workspace-files.ts';

describeWorkspaceFilesContract('embedded (LocalWorkspaceFiles)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'workspace-files-'));
  const files = new LocalWorkspaceFiles((session) => join(root, session.project, session.sessionName));
  const session = { project: 'alpha', sessionName: 'session-1', sessionUid: 'uid-1', runCount: 1 };
  // The adapter creates the directory on first use; the suite needs it before that.
  await files.read(session, '');
  return {
    files,
    session,
    directory: join(root, 'alpha', 'session-1'),
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
  };
});
