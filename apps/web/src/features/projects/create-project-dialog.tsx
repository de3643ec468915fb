'use client';
import { PlusIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { resourceNameSchema } from '@ambient/contracts';
import { Button } from '../../components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '../../components/ui/dialog';
import { Input } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { Textarea } from '../../components/ui/textarea';
import { describeError } from '../../lib/errors';
import { projectHref } from '../../lib/routes';
import { useCreateProject } from './use-projects';

export function CreateProjectDialog() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [description, setDescription] = useState('');
  const [touched, setTouched] = useState(false);
  const create = useCreateProject();
  const router = useRouter();

  // The same rule the server applies (a Kubernetes namespace name), checked before sending.
  const nameCheck = resourceNameSchema.safeParse(name);
  const nameError = touched && !nameCheck.success ? nameCheck.error.issues[0]?.message : undefined;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setTouched(true);
    if (!nameCheck.success) return;
    create.mutate(
      { name, ...(displayName ? { displayName } : {}), ...(description ? { description } : {}) },
      {
        onSuccess: (project) => {
          setOpen(false);
          router.push(projectHref(project.name));
        },
      },
    );
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) create.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden="true" />
          New project
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>New project</DialogTitle>
            <DialogDescription>A project holds sessions, members and settings. Its name cannot change later.</DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="project-name">Name</Label>
            <Input
              id="project-name"
              value={name}
              onChange={(event) => setName(event.target.value.trim())}
              onBlur={() => setTouched(true)}
              placeholder="team-a"
              autoComplete="off"
              aria-invalid={nameError ? true : undefined}
              aria-describedby="project-name-help"
              required
              autoFocus
            />
            <p id="project-name-help" className={nameError ? 'text-sm text-destructive' : 'text-sm text-muted-foreground'}>
              {nameError ?? 'Lowercase letters, digits and "-".'}
            </p>
          </div>
          <div className="grid gap-2">
            <Label htmlFor="project-display-name">Display name (optional)</Label>
            <Input id="project-display-name" value={displayName} onChange={(event) => setDisplayName(event.target.value)} maxLength={200} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="project-description">Description (optional)</Label>
            <Textarea id="project-description" value={description} onChange={(event) => setDescription(event.target.value)} maxLength={2000} />
          </div>
          {create.isError ? (
            <p role="alert" className="text-sm text-destructive">
              {describeError(create.error)}
            </p>
          ) : null}
          <DialogFooter>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create project'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
