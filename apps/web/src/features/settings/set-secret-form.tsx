'use client';
/**
 * Add or replace one secret key. The value lives only in this password input until it is sent;
 * it is cleared right after a successful save and never shown back (the API cannot return it).
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ProjectSecretKind } from '@ambient/client';
import { Button } from '../../components/ui/button';
import { Input } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { describeError } from '../../lib/errors';
import { SECRET_KEY_PATTERN, SECRET_KINDS } from './secret-kinds';
import { usePutProjectSecrets } from './use-project-secrets';

export function SetSecretForm({ project, kind }: { project: string; kind: ProjectSecretKind }) {
  const info = SECRET_KINDS[kind];
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [formError, setFormError] = useState<string | undefined>(undefined);
  const [savedKey, setSavedKey] = useState<string | undefined>(undefined);
  const put = usePutProjectSecrets(project, kind);
  const idPrefix = `secret-${kind}`;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const name = key.trim();
    setSavedKey(undefined);
    if (!SECRET_KEY_PATTERN.test(name)) return setFormError('Keys are environment variable names: letters, digits and "_".');
    // An empty value would remove the key; removing has its own button, so ask for a value here.
    if (!value) return setFormError('Enter a value.');
    setFormError(undefined);
    put.mutate(
      { [name]: value },
      {
        onSuccess: () => {
          setKey('');
          setValue('');
          setSavedKey(name);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} className="grid gap-3" noValidate aria-label={`Set a ${info.title.toLowerCase().replace(/s$/, '')}`}>
      <div className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
        <div className="grid gap-2">
          <Label htmlFor={`${idPrefix}-key`}>Key</Label>
          <Input
            id={`${idPrefix}-key`}
            value={key}
            onChange={(event) => setKey(event.target.value)}
            list={`${idPrefix}-suggestions`}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
          />
          <datalist id={`${idPrefix}-suggestions`}>
            {info.suggestedKeys.map((suggestion) => (
              <option key={suggestion} value={suggestion} />
            ))}
          </datalist>
        </div>
        <div className="grid gap-2">
          <Label htmlFor={`${idPrefix}-value`}>Value</Label>
          <Input
            id={`${idPrefix}-value`}
            type="password"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            // "new-password" keeps browsers from filling in a saved login password here.
            autoComplete="new-password"
            spellCheck={false}
          />
        </div>
        <Button type="submit" variant="secondary" disabled={put.isPending}>
          {put.isPending ? 'Saving…' : 'Save key'}
        </Button>
      </div>
      <p className="text-xs text-muted-foreground">{info.keyRule} Saving an existing key replaces its value.</p>
      {formError || put.isError ? (
        <p role="alert" className="text-sm text-destructive">
          {formError ?? describeError(put.error)}
        </p>
      ) : null}
      <p role="status" className="text-sm text-muted-foreground">
        {savedKey ? `${savedKey} saved.` : ''}
      </p>
    </form>
  );
}
