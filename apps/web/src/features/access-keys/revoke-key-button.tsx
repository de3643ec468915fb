'use client';
/** Revoke one access key after a confirmation: anything using it stops working at once. */
import { Trash2Icon } from 'lucide-react';
import { useState } from 'react';
import type { AccessKeyView } from '@ambient/contracts';
import { Button } from '../../components/ui/button';
import { ConfirmDialog } from '../layout/confirm-dialog';
import { useRevokeAccessKey } from './use-access-keys';

export function RevokeKeyButton({ project, accessKey }: { project: string; accessKey: AccessKeyView }) {
  const [open, setOpen] = useState(false);
  const revoke = useRevokeAccessKey(project);
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)} aria-label={`Revoke key ${accessKey.name}`}>
        <Trash2Icon aria-hidden="true" />
        Revoke
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) revoke.reset();
        }}
        title={`Revoke access key ${accessKey.name}?`}
        description="Scripts and pipelines using this key stop working immediately. This cannot be undone."
        confirmLabel="Revoke"
        pendingLabel="Revoking…"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoke.mutate(accessKey.id, { onSuccess: () => setOpen(false) })}
      />
    </>
  );
}
