'use client';
/** How the file browser reads a failure: unavailable (503) and access answers are final, others can be retried. */
import { FolderXIcon } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '../../components/ui/alert';
import { ErrorState } from '../layout/page-states';
import { describeError, isForbiddenOrUnauthorized, isNotFound } from '../../lib/errors';
import { isWorkspaceUnavailable } from './use-workspace';

export function WorkspaceError({ error, what, onRetry }: { error: unknown; what: string; onRetry: () => void }) {
  if (isWorkspaceUnavailable(error)) {
    return (
      <Alert data-testid="workspace-unavailable">
        <FolderXIcon aria-hidden="true" />
        <AlertTitle>Workspace files are not available</AlertTitle>
        <AlertDescription>
          <p>This platform does not expose session workspaces in its current mode, so files cannot be browsed here.</p>
          <p className="text-xs">{describeError(error)}</p>
        </AlertDescription>
      </Alert>
    );
  }
  if (isNotFound(error)) return <ErrorState title={`The ${what} no longer exists`} error={error} />;
  // Asking again will not change "who are you" or "not allowed".
  return <ErrorState title={`Could not load the ${what}`} error={error} onRetry={isForbiddenOrUnauthorized(error) ? undefined : onRetry} />;
}
