'use client';
import { PlusIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Button } from '../../components/ui/button';
import { Checkbox } from '../../components/ui/checkbox';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '../../components/ui/dialog';
import { Input } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { Textarea } from '../../components/ui/textarea';
import { describeError } from '../../lib/errors';
import { sessionHref } from '../../lib/routes';
import { ReposFields } from './repos-fields';
import type { RepoDraft } from './repos-fields';
import { toCreateSessionBody } from './session-form';
import type { SessionFormResult } from './session-form';
import { useCreateSession } from './use-sessions';

/** Suggestions only: any model name the project's endpoint accepts can be typed. */
const MODEL_SUGGESTIONS = ['claude-sonnet-4-5', 'claude-opus-4-5', 'claude-haiku-4-5'];

export function NewSessionDialog({ project }: { project: string }) {
  const [open, setOpen] = useState(false);
  const [prompt, setPrompt] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [interactive, setInteractive] = useState(true);
  const [model, setModel] = useState('');
  const [timeout, setTimeoutValue] = useState('');
  const [repos, setRepos] = useState<RepoDraft[]>([]);
  const [errors, setErrors] = useState<Extract<SessionFormResult, { ok: false }>['errors']>({});
  const create = useCreateSession(project);
  const router = useRouter();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const result = toCreateSessionBody({ prompt, displayName, interactive, model, timeout, repos });
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    create.mutate(result.body, { onSuccess: (created) => router.push(sessionHref(project, created.name)) });
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
          New session
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-2xl">
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>New session</DialogTitle>
            <DialogDescription>Starts a Claude Code agent in a fresh workspace of project {project}.</DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="session-prompt">Prompt</Label>
            <Textarea
              id="session-prompt"
              value={prompt}
              onChange={(event) => setPrompt(event.target.value)}
              rows={5}
              placeholder="What should the agent do?"
              aria-invalid={errors.prompt ? true : undefined}
              aria-describedby={errors.prompt ? 'session-prompt-error' : undefined}
              autoFocus
            />
            {errors.prompt ? (
              <p id="session-prompt-error" className="text-sm text-destructive">
                {errors.prompt}
              </p>
            ) : null}
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="grid gap-2">
              <Label htmlFor="session-display-name">Display name (optional)</Label>
              <Input id="session-display-name" value={displayName} onChange={(event) => setDisplayName(event.target.value)} maxLength={200} />
            </div>
            <div className="grid gap-2">
              <Label htmlFor="session-model">Model</Label>
              <Input
                id="session-model"
                list="session-model-suggestions"
                value={model}
                onChange={(event) => setModel(event.target.value)}
                placeholder="project default"
                autoComplete="off"
              />
              <datalist id="session-model-suggestions">
                {MODEL_SUGGESTIONS.map((suggestion) => (
                  <option key={suggestion} value={suggestion} />
                ))}
              </datalist>
            </div>
            <div className="grid gap-2">
              <Label htmlFor="session-timeout">Timeout in seconds (optional)</Label>
              <Input
                id="session-timeout"
                type="number"
                inputMode="numeric"
                min={1}
                value={timeout}
                onChange={(event) => setTimeoutValue(event.target.value)}
                placeholder="project default"
                aria-invalid={errors.timeout ? true : undefined}
                aria-describedby={errors.timeout ? 'session-timeout-error' : undefined}
              />
              {errors.timeout ? (
                <p id="session-timeout-error" className="text-sm text-destructive">
                  {errors.timeout}
                </p>
              ) : null}
            </div>
            <div className="flex items-center gap-2 self-end pb-2">
              <Checkbox id="session-interactive" checked={interactive} onCheckedChange={(checked) => setInteractive(checked === true)} />
              <Label htmlFor="session-interactive">Interactive (keep chatting after the first answer)</Label>
            </div>
          </div>
          <ReposFields repos={repos} onChange={setRepos} />
          {errors.repos ? <p className="text-sm text-destructive">{errors.repos}</p> : null}
          {create.isError ? (
            <p role="alert" className="text-sm text-destructive">
              {describeError(create.error)}
            </p>
          ) : null}
          <DialogFooter>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? 'Starting…' : 'Start session'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
