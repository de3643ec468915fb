'use client';
/** Clone, Export and Delete for the open session; each opens a dialog, delete asks before it acts. */
import { CopyIcon, DownloadIcon, Trash2Icon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { AgenticSession } from '@ambient/contracts';
import { Button } from '../../components/ui/button';
import { ConfirmDialog } from '../layout/confirm-dialog';
import { useDeleteSession } from '../sessions/use-sessions';
import { projectHref } from '../../lib/routes';
import { CloneSessionDialog } from './clone-session-dialog';
import { ExportSessionDialog } from './export-session-dialog';

type OpenDialog = 'clone' | 'export' | 'delete' | undefined;

export function SessionActionsMenu({ project, session }: { project: string; session: AgenticSession }) {
  const name = session.metadata.name;
  const label = session.spec.displayName || name;
  const [dialog, setDialog] = useState<OpenDialog>(undefined);
  const remove = useDeleteSession(project);
  const router = useRouter();
  const toggle = (which: Exclude<OpenDialog, undefined>) => (open: boolean) => setDialog(open ? which : undefined);

  return (
    <>
      <Button variant="outline" size="sm" onClick={() => setDialog('clone')}>
        <CopyIcon aria-hidden="true" />
        Clone
      </Button>
      <Button variant="outline" size="sm" onClick={() => setDialog('export')}>
        <DownloadIcon aria-hidden="true" />
        Export
      </Button>
      <Button variant="outline" size="sm" className="text-destructive hover:text-destructive" onClick={() => setDialog('delete')}>
        <Trash2Icon aria-hidden="true" />
        Delete
      </Button>
      <CloneSessionDialog project={project} name={name} label={label} open={dialog === 'clone'} onOpenChange={toggle('clone')} />
      <ExportSessionDialog project={project} name={name} label={label} open={dialog === 'export'} onOpenChange={toggle('export')} />
      <ConfirmDialog
        open={dialog === 'delete'}
        onOpenChange={(open) => {
          toggle('delete')(open);
          if (!open) remove.reset();
        }}
        title={`Delete session ${label}?`}
        description="Its runner, workspace files and whole conversation are removed. This cannot be undone."
        confirmLabel="Delete"
        pendingLabel="Deleting…"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate(name, { onSuccess: () => router.push(projectHref(project)) })}
      />
    </>
  );
}
