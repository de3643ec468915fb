'use client';
/** Revoke one grant, after a confirmation (the subject loses access at once). */
import { Trash2Icon } from 'lucide-react';
import { useState } from 'react';
import type { Permission } from '@ambient/contracts';
import { Button } from '../../components/ui/button';
import { ConfirmDialog } from '../layout/confirm-dialog';
import { useRevokePermission } from './use-permissions';

export function RevokePermissionButton({ project, permission }: { project: string; permission: Permission }) {
  const [open, setOpen] = useState(false);
  const revoke = useRevokePermission(project);
  const subject = `${permission.subjectType} ${permission.subjectName}`;
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)} aria-label={`Revoke ${subject}`}>
        <Trash2Icon aria-hidden="true" />
        Revoke
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) revoke.reset();
        }}
        title={`Revoke access of ${subject}?`}
        description={`The ${permission.subjectType} loses the ${permission.role} role in ${project} immediately.`}
        confirmLabel="Revoke"
        pendingLabel="Revoking…"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoke.mutate(permission, { onSuccess: () => setOpen(false) })}
      />
    </>
  );
}
