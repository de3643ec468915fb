'use client';
/** Remove one secret key (a PUT with an empty value), after a confirmation. */
import { Trash2Icon } from 'lucide-react';
import { useState } from 'react';
import type { ProjectSecretKind } from '@ambient/client';
import { Button } from '../../components/ui/button';
import { ConfirmDialog } from '../layout/confirm-dialog';
import { usePutProjectSecrets } from './use-project-secrets';

export function RemoveSecretButton({ project, kind, secretKey }: { project: string; kind: ProjectSecretKind; secretKey: string }) {
  const [open, setOpen] = useState(false);
  const put = usePutProjectSecrets(project, kind);
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)} aria-label={`Remove ${secretKey}`}>
        <Trash2Icon aria-hidden="true" />
        Remove
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) put.reset();
        }}
        title={`Remove ${secretKey}?`}
        description="New sessions no longer get this variable. Its value cannot be recovered."
        confirmLabel="Remove"
        pendingLabel="Removing…"
        pending={put.isPending}
        error={put.error}
        onConfirm={() => put.mutate({ [secretKey]: '' }, { onSuccess: () => setOpen(false) })}
      />
    </>
  );
}
