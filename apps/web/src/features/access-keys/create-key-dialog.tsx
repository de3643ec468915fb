'use client';
/**
 * "New access key": name, description, role and expiry; on success the same dialog switches to the
 * key itself (CreatedKeyNotice). Closing the dialog resets the mutation, which drops the key from
 * memory: it can never be shown again.
 */
import { PlusIcon } from 'lucide-react';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { createAccessKeyRequestSchema } from '@ambient/contracts';
import type { ProjectRole } from '@ambient/contracts';
import { Button } from '../../components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '../../components/ui/dialog';
import { Input } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { NativeSelect } from '../../components/ui/native-select';
import { Textarea } from '../../components/ui/textarea';
import { describeError } from '../../lib/errors';
import { ROLE_DESCRIPTIONS, ROLES } from '../sharing/role-options';
import { CreatedKeyNotice } from './created-key-notice';
import { DEFAULT_EXPIRY, EXPIRY_OPTIONS, expirySeconds } from './expiry-options';
import { useCreateAccessKey } from './use-access-keys';

export function CreateKeyDialog({ project }: { project: string }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [role, setRole] = useState<ProjectRole>('edit');
  const [expiry, setExpiry] = useState(DEFAULT_EXPIRY);
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const create = useCreateAccessKey(project);

  const close = (next: boolean): void => {
    setOpen(next);
    if (next) return;
    setName('');
    setDescription('');
    setRole('edit');
    setExpiry(DEFAULT_EXPIRY);
    setNameError(undefined);
    create.reset();
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const body = createAccessKeyRequestSchema.safeParse({
      name: name.trim(),
      description: description.trim() || undefined,
      role,
      expiresInSeconds: expirySeconds(expiry),
    });
    if (!body.success) {
      setNameError(body.error.issues[0]?.message ?? 'Check the name.');
      return;
    }
    setNameError(undefined);
    create.mutate(body.data);
  };

  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden="true" />
          New access key
        </Button>
      </DialogTrigger>
      <DialogContent>
        {create.data ? (
          <div className="grid gap-4">
            <DialogHeader>
              <DialogTitle>Access key created</DialogTitle>
              <DialogDescription>Use it as a bearer token for the API or the CLI.</DialogDescription>
            </DialogHeader>
            <CreatedKeyNotice created={create.data} />
            <DialogFooter>
              <DialogClose asChild>
                <Button>I have copied the key</Button>
              </DialogClose>
            </DialogFooter>
          </div>
        ) : (
          <form onSubmit={submit} className="grid gap-4" noValidate>
            <DialogHeader>
              <DialogTitle>New access key</DialogTitle>
              <DialogDescription>A key for automation in project {project}: it acts with the role you choose here.</DialogDescription>
            </DialogHeader>
            <div className="grid gap-2">
              <Label htmlFor="key-name">Name</Label>
              <Input
                id="key-name"
                value={name}
                onChange={(event) => setName(event.target.value)}
                autoComplete="off"
                spellCheck={false}
                placeholder="ci-pipeline"
                aria-invalid={nameError ? true : undefined}
                aria-describedby={nameError ? 'key-name-error' : undefined}
                autoFocus
              />
              {nameError ? (
                <p id="key-name-error" className="text-sm text-destructive">
                  {nameError}
                </p>
              ) : null}
            </div>
            <div className="grid gap-2">
              <Label htmlFor="key-description">Description (optional)</Label>
              <Textarea id="key-description" value={description} onChange={(event) => setDescription(event.target.value)} rows={2} />
            </div>
            <div className="grid gap-2 sm:grid-cols-2">
              <div className="grid gap-2">
                <Label htmlFor="key-role">Role</Label>
                <NativeSelect id="key-role" value={role} onChange={(event) => setRole(ROLES.find((each) => each === event.target.value) ?? 'edit')}>
                  {ROLES.map((each) => (
                    <option key={each} value={each} title={ROLE_DESCRIPTIONS[each]}>
                      {each}
                    </option>
                  ))}
                </NativeSelect>
              </div>
              <div className="grid gap-2">
                <Label htmlFor="key-expiry">Expires after</Label>
                <NativeSelect id="key-expiry" value={expiry} onChange={(event) => setExpiry(event.target.value)}>
                  {EXPIRY_OPTIONS.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </NativeSelect>
              </div>
            </div>
            {create.isError ? (
              <p role="alert" className="text-sm text-destructive">
                {describeError(create.error)}
              </p>
            ) : null}
            <DialogFooter>
              <Button type="submit" disabled={create.isPending}>
                {create.isPending ? 'Creating…' : 'Create key'}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
