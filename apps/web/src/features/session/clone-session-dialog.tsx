'use client';
/**
 * Clone: a new session with this one's spec (prompt, repositories, model, settings), in this or
 * another project the user can edit. It starts fresh and runs the prompt again; the conversation
 * is not copied. On success the page moves to the copy.
 */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Button } from '../../components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '../../components/ui/dialog';
import { Input } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { NativeSelect } from '../../components/ui/native-select';
import { useProjects } from '../projects/use-projects';
import { describeError } from '../../lib/errors';
import { sessionHref } from '../../lib/routes';
import { useCloneSession } from './use-session-tools';

export interface CloneSessionDialogProps {
  project: string;
  name: string;
  label: string;
  open: boolean;
  onOpenChange(open: boolean): void;
}

function CloneForm({ project, name, label, onDone }: { project: string; name: string; label: string; onDone(): void }) {
  const [displayName, setDisplayName] = useState('');
  const [targetProject, setTargetProject] = useState(project);
  const projects = useProjects();
  const clone = useCloneSession(project, name);
  const router = useRouter();
  // The list may still be loading or may not include this project (a viewer): the current one is always offered.
  const projectNames = [...new Set([project, ...(projects.data ?? []).map((item) => item.name)])];

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const trimmed = displayName.trim();
    clone.mutate(
      { targetProject, ...(trimmed ? { displayName: trimmed } : {}) },
      {
        onSuccess: (copy) => {
          onDone();
          router.push(sessionHref(copy.project, copy.name));
        },
      },
    );
  };

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <DialogHeader>
        <DialogTitle>Clone {label}</DialogTitle>
        <DialogDescription>
          A new session with the same prompt, repositories and settings. It starts from the beginning; the conversation is not copied.
        </DialogDescription>
      </DialogHeader>
      <div className="grid gap-2">
        <Label htmlFor="clone-display-name">Display name (optional)</Label>
        <Input
          id="clone-display-name"
          value={displayName}
          onChange={(event) => setDisplayName(event.target.value)}
          placeholder={`${label} (copy)`}
          maxLength={200}
          autoComplete="off"
          autoFocus
        />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="clone-project">Project</Label>
        <NativeSelect id="clone-project" value={targetProject} onChange={(event) => setTargetProject(event.target.value)}>
          {projectNames.map((projectName) => (
            <option key={projectName} value={projectName}>
              {projects.data?.find((item) => item.name === projectName)?.displayName || projectName}
            </option>
          ))}
        </NativeSelect>
      </div>
      {clone.isError ? (
        <p role="alert" className="text-sm text-destructive">
          {describeError(clone.error)}
        </p>
      ) : null}
      <DialogFooter>
        <DialogClose asChild>
          <Button type="button" variant="outline">
            Cancel
          </Button>
        </DialogClose>
        <Button type="submit" disabled={clone.isPending}>
          {clone.isPending ? 'Cloning…' : 'Clone session'}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function CloneSessionDialog({ project, name, label, open, onOpenChange }: CloneSessionDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        {/* Mounted only while open: each opening starts with an empty form and no old error. */}
        {open ? <CloneForm project={project} name={name} label={label} onDone={() => onOpenChange(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}
