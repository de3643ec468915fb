'use client';
/** The new key, shown exactly once: after this dialog closes only its hash exists anywhere. */
import { TriangleAlertIcon } from 'lucide-react';
import type { CreatedAccessKey } from '@ambient/client';
import { Alert, AlertDescription, AlertTitle } from '../../components/ui/alert';
import { Input } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { CopyButton } from './copy-button';

export function CreatedKeyNotice({ created }: { created: CreatedAccessKey }) {
  return (
    <div className="grid gap-3">
      <Alert>
        <TriangleAlertIcon aria-hidden="true" />
        <AlertTitle>Copy the key now</AlertTitle>
        <AlertDescription>
          This is the only time the key “{created.name}” is shown. The platform keeps only a hash of it; if you lose it, revoke it and
          create a new one.
        </AlertDescription>
      </Alert>
      <Label htmlFor="created-access-key">Access key</Label>
      <Input
        id="created-access-key"
        readOnly
        value={created.key}
        className="font-mono"
        spellCheck={false}
        // Selecting on focus makes a manual copy one keystroke when the clipboard is not available.
        onFocus={(event) => event.currentTarget.select()}
      />
      <CopyButton value={created.key} label="Copy the access key" />
    </div>
  );
}
