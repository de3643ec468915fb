'use client';
/** "Share": give a user or a group a role in the project. Names are checked like the server does. */
import { UserPlusIcon } from 'lucide-react';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { userNameSchema } from '@ambient/contracts';
import type { ProjectRole, SubjectType } from '@ambient/contracts';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '../../components/ui/dialog';
import { Input } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { NativeSelect } from '../../components/ui/native-select';
import { describeError } from '../../lib/errors';
import { ROLE_DESCRIPTIONS, ROLES } from './role-options';
import { useGrantPermission } from './use-permissions';

export function GrantDialog({ project }: { project: string }) {
  const [open, setOpen] = useState(false);
  const [subjectType, setSubjectType] = useState<SubjectType>('user');
  const [subjectName, setSubjectName] = useState('');
  const [role, setRole] = useState<ProjectRole>('view');
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const grant = useGrantPermission(project);

  const reset = (): void => {
    setSubjectType('user');
    setSubjectName('');
    setRole('view');
    setNameError(undefined);
    grant.reset();
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const name = userNameSchema.safeParse(subjectName.trim());
    if (!name.success) {
      setNameError(name.error.issues[0]?.message ?? 'Enter a name.');
      return;
    }
    setNameError(undefined);
    grant.mutate({ subjectType, subjectName: name.data, role }, { onSuccess: () => setOpen(false) });
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <UserPlusIcon aria-hidden="true" />
          Add access
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>Add access</DialogTitle>
            <DialogDescription>Give a user or a group a role in project {project}. Granting again changes the role.</DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="grant-subject-type">Subject type</Label>
            <NativeSelect id="grant-subject-type" value={subjectType} onChange={(event) => setSubjectType(event.target.value === 'group' ? 'group' : 'user')}>
              <option value="user">User</option>
              <option value="group">Group</option>
            </NativeSelect>
          </div>
          <div className="grid gap-2">
            <Label htmlFor="grant-subject-name">{subjectType === 'group' ? 'Group name' : 'User name'}</Label>
            <Input
              id="grant-subject-name"
              value={subjectName}
              onChange={(event) => setSubjectName(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? 'grant-subject-name-error' : undefined}
              autoFocus
            />
            {nameError ? (
              <p id="grant-subject-name-error" className="text-sm text-destructive">
                {nameError}
              </p>
            ) : null}
          </div>
          <div className="grid gap-2">
            <Label htmlFor="grant-role">Role</Label>
            <NativeSelect id="grant-role" value={role} onChange={(event) => setRole(ROLES.find((each) => each === event.target.value) ?? 'view')}>
              {ROLES.map((each) => (
                <option key={each} value={each}>
                  {ROLE_DESCRIPTIONS[each]}
                </option>
              ))}
            </NativeSelect>
          </div>
          {grant.isError ? (
            <p role="alert" className="text-sm text-destructive">
              {describeError(grant.error)}
            </p>
          ) : null}
          <DialogFooter>
            <Button type="submit" disabled={grant.isPending}>
              {grant.isPending ? 'Granting…' : 'Grant access'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
