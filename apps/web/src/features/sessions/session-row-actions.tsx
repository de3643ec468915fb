'use client';
/** Stop and Delete for one session row; delete asks first (it removes the history for good). */
import { SquareIcon, Trash2Icon } from 'lucide-react';
import { useState } from 'react';
import type { AgenticSession } from '@ambient/contracts';
import { Button } from '../../components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '../../components/ui/dialog';
import { describeError } from '../../lib/errors';
import { isTerminal, useDeleteSession, useStopSession } from './use-sessions';

export function SessionRowActions({ project, session }: { project: string; session: AgenticSession }) {
  const name = session.metadata.name;
  const label = session.spec.displayName || name;
  const stop = useStopSession(project);
  const remove = useDeleteSession(project);
  const [confirming, setConfirming] = useState(false);
  const stoppable = !isTerminal(session) && session.status?.phase !== 'Stopping';

  return (
    <div className="flex justify-end gap-1">
      {stoppable ? (
        <Button variant="ghost" size="sm" onClick={() => stop.mutate(name)} disabled={stop.isPending} aria-label={`Stop ${label}`}>
          <SquareIcon aria-hidden="true" />
          Stop
        </Button>
      ) : null}
      <Button variant="ghost" size="sm" onClick={() => setConfirming(true)} aria-label={`Delete ${label}`}>
        <Trash2Icon aria-hidden="true" />
        Delete
      </Button>
      {stop.isError ? (
        <span role="alert" className="sr-only">
          {describeError(stop.error)}
        </span>
      ) : null}
      <Dialog open={confirming} onOpenChange={setConfirming}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Delete session {label}?</DialogTitle>
            <DialogDescription>Its runner, workspace and whole conversation are removed. This cannot be undone.</DialogDescription>
          </DialogHeader>
          {remove.isError ? (
            <p role="alert" className="text-sm text-destructive">
              {describeError(remove.error)}
            </p>
          ) : null}
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button
              variant="destructive"
              disabled={remove.isPending}
              onClick={() => remove.mutate(name, { onSuccess: () => setConfirming(false) })}
            >
              {remove.isPending ? 'Deleting…' : 'Delete'}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  );
}
