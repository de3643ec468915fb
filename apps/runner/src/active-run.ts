/**
 * Remembers the run in progress in the workspace, so that a runner started after a kill can close
 * it: every RUN_STARTED must end with RUN_FINISHED or RUN_ERROR, or UIs show it running forever.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { EventType } from '@ambient/contracts';
import type { AgUiEvent } from '@ambient/contracts';

interface RunMarker {
  threadId: string;
  runId: string;
}

export class ActiveRunMarker {
  /** Undefined `filePath`: nothing is remembered (the workspace is not writable). */
  constructor(private readonly filePath?: string) {}

  /** The run an earlier runner process started and never ended; forgotten once taken. */
  takeOrphan(): RunMarker | undefined {
    if (!this.filePath || !existsSync(this.filePath)) return undefined;
    try {
      const marker = JSON.parse(readFileSync(this.filePath, 'utf8')) as Partial<RunMarker>;
      if (typeof marker.runId === 'string' && typeof marker.threadId === 'string') {
        return { runId: marker.runId, threadId: marker.threadId };
      }
      return undefined;
    } catch {
      return undefined;
    } finally {
      rmSync(this.filePath, { force: true });
    }
  }

  observe(event: AgUiEvent): void {
    if (!this.filePath) return;
    if (event.type === EventType.RUN_STARTED) {
      const marker: RunMarker = {
        threadId: String(event['threadId']),
        runId: String(event['runId']),
      };
      const temporaryPath = `${this.filePath}.tmp`;
      writeFileSync(temporaryPath, JSON.stringify(marker));
      renameSync(temporaryPath, this.filePath);
    } else if (event.type === EventType.RUN_FINISHED || event.type === EventType.RUN_ERROR) {
      rmSync(this.filePath, { force: true });
    }
  }
}
