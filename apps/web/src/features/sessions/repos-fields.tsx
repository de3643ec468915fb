'use client';
/** The repositories part of "New session": any number of url / branch / auto-push rows. */
import { PlusIcon, Trash2Icon } from 'lucide-react';
import { Button } from '../../components/ui/button';
import { Checkbox } from '../../components/ui/checkbox';
import { Input } from '../../components/ui/input';
import { Label } from '../../components/ui/label';

export interface RepoDraft {
  key: number;
  url: string;
  branch: string;
  autoPush: boolean;
}

export function newRepoDraft(): RepoDraft {
  return { key: Date.now() + Math.random(), url: '', branch: '', autoPush: false };
}

export function ReposFields({ repos, onChange }: { repos: RepoDraft[]; onChange: (repos: RepoDraft[]) => void }) {
  const update = (key: number, change: Partial<RepoDraft>): void =>
    onChange(repos.map((repo) => (repo.key === key ? { ...repo, ...change } : repo)));

  return (
    <fieldset className="grid gap-3">
      <legend className="mb-2 text-sm font-medium">Repositories (optional)</legend>
      {repos.map((repo, index) => (
        <div key={repo.key} className="grid gap-2 rounded-md border p-3">
          <div className="grid gap-1.5">
            <Label htmlFor={`repo-url-${repo.key}`}>Repository {index + 1} URL</Label>
            <Input
              id={`repo-url-${repo.key}`}
              value={repo.url}
              onChange={(event) => update(repo.key, { url: event.target.value })}
              placeholder="https://github.com/org/repo.git"
              autoComplete="off"
            />
          </div>
          <div className="flex flex-wrap items-end gap-3">
            <div className="grid min-w-40 flex-1 gap-1.5">
              <Label htmlFor={`repo-branch-${repo.key}`}>Branch</Label>
              <Input
                id={`repo-branch-${repo.key}`}
                value={repo.branch}
                onChange={(event) => update(repo.key, { branch: event.target.value })}
                placeholder="default: ambient/<session>"
                autoComplete="off"
              />
            </div>
            <div className="flex h-9 items-center gap-2">
              <Checkbox
                id={`repo-push-${repo.key}`}
                checked={repo.autoPush}
                onCheckedChange={(checked) => update(repo.key, { autoPush: checked === true })}
              />
              <Label htmlFor={`repo-push-${repo.key}`}>Push when done</Label>
            </div>
            <Button
              type="button"
              variant="ghost"
              size="icon"
              aria-label={`Remove repository ${index + 1}`}
              onClick={() => onChange(repos.filter((other) => other.key !== repo.key))}
            >
              <Trash2Icon aria-hidden="true" />
            </Button>
          </div>
        </div>
      ))}
      <Button type="button" variant="outline" size="sm" className="justify-self-start" onClick={() => onChange([...repos, newRepoDraft()])}>
        <PlusIcon aria-hidden="true" />
        Add repository
      </Button>
    </fieldset>
  );
}
