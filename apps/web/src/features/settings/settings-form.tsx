'use client';
/** The ProjectSettings form: defaults for new sessions, the model endpoint and the concurrency limit. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ProjectSettings } from '@ambient/contracts';
import { Button } from '../../components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card';
import { Input } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { describeError } from '../../lib/errors';
import { toFormValues, toSettingsSpec } from './settings-form-values';
import type { SettingsFormErrors, SettingsFormValues } from './settings-form-values';
import { useSaveProjectSettings } from './use-project-settings';

interface FieldDefinition {
  field: keyof SettingsFormValues;
  label: string;
  hint: string;
  inputMode?: 'numeric' | 'url';
  placeholder?: string;
}

const FIELDS: FieldDefinition[] = [
  { field: 'defaultModel', label: 'Default model', hint: 'Used when a session does not name a model.', placeholder: 'claude-sonnet-4-5' },
  { field: 'defaultTimeoutSeconds', label: 'Default timeout (seconds)', hint: 'How long a session may run in total.', inputMode: 'numeric' },
  {
    field: 'defaultInactivityTimeoutSeconds',
    label: 'Inactivity timeout (seconds)',
    hint: 'An interactive session with no activity this long is stopped.',
    inputMode: 'numeric',
  },
  { field: 'concurrencyLimit', label: 'Concurrency limit', hint: 'How many sessions may run at the same time.', inputMode: 'numeric' },
  {
    field: 'modelBaseUrl',
    label: 'Model base URL',
    hint: 'An Anthropic-compatible endpoint for this project; empty uses the platform default.',
    inputMode: 'url',
    placeholder: 'https://…',
  },
];

export function SettingsForm({ project, settings, canEdit }: { project: string; settings: ProjectSettings | null; canEdit: boolean }) {
  const [values, setValues] = useState<SettingsFormValues>(() => toFormValues(settings?.spec));
  const [errors, setErrors] = useState<SettingsFormErrors>({});
  const [saved, setSaved] = useState(false);
  const save = useSaveProjectSettings(project);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const result = toSettingsSpec(values, settings?.spec);
    setSaved(false);
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    save.mutate(result.spec, { onSuccess: () => setSaved(true) });
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Project settings</CardTitle>
        <CardDescription>{canEdit ? 'Defaults for new sessions in this project.' : 'Only admins can change these.'}</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} noValidate>
          {/* A disabled fieldset makes every field read-only for non-admins in one place. */}
          <fieldset disabled={!canEdit || save.isPending} className="grid gap-4 sm:grid-cols-2">
            {FIELDS.map(({ field, label, hint, inputMode, placeholder }) => (
              <div key={field} className={field === 'modelBaseUrl' ? 'grid gap-2 sm:col-span-2' : 'grid gap-2'}>
                <Label htmlFor={`settings-${field}`}>{label}</Label>
                <Input
                  id={`settings-${field}`}
                  value={values[field]}
                  onChange={(event) => setValues((current) => ({ ...current, [field]: event.target.value }))}
                  inputMode={inputMode}
                  placeholder={placeholder}
                  spellCheck={false}
                  aria-invalid={errors[field] ? true : undefined}
                  aria-describedby={`settings-${field}-hint`}
                />
                <p id={`settings-${field}-hint`} className={errors[field] ? 'text-sm text-destructive' : 'text-xs text-muted-foreground'}>
                  {errors[field] ?? hint}
                </p>
              </div>
            ))}
          </fieldset>
          {canEdit ? (
            <div className="mt-4 flex items-center gap-3">
              <Button type="submit" disabled={save.isPending}>
                {save.isPending ? 'Saving…' : 'Save settings'}
              </Button>
              <span role="status" className="text-sm text-muted-foreground">
                {saved ? 'Settings saved.' : ''}
              </span>
            </div>
          ) : null}
          {save.isError ? (
            <p role="alert" className="mt-2 text-sm text-destructive">
              {describeError(save.error)}
            </p>
          ) : null}
        </form>
      </CardContent>
    </Card>
  );
}
