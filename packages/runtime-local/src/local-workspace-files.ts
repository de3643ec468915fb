/**
 * The embedded adapter of WorkspaceFiles (docs/adr/0010): each session's workspace is a directory of
 * the process runtime, served by core's DirectoryWorkspace (the confinement rules the runner uses
 * too).
 */
import { DirectoryWorkspace } from '@ambient/core';
import type { WorkspaceFiles, WorkspaceReadResult, WorkspaceSession } from '@ambient/core';

export class LocalWorkspaceFiles implements WorkspaceFiles {
  /** `directoryOf` maps a session to its workspace directory (ProcessWorkloadRuntime.workspacePath). */
  constructor(private readonly directoryOf: (session: WorkspaceSession) => string) {}

  read(session: WorkspaceSession, relativePath: string): Promise<WorkspaceReadResult> {
    return this.workspaceOf(session).read(relativePath);
  }

  write(session: WorkspaceSession, relativePath: string, content: Uint8Array): Promise<{ path: string; size: number }> {
    return this.workspaceOf(session).write(relativePath, content);
  }

  delete(session: WorkspaceSession, relativePath: string): Promise<void> {
    return this.workspaceOf(session).delete(relativePath);
  }

  private workspaceOf(session: WorkspaceSession): DirectoryWorkspace {
    return new DirectoryWorkspace(this.directoryOf(session));
  }
}
