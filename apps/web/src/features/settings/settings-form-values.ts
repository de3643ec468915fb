/**
 * The settings form works on strings (what inputs hold); these turn a spec into form values and
 * back, checking numbers the way the server does. Fields the form does not show (group access,
 * repositories, budget, the secret's name) are carried over, because PUT replaces the whole spec.
 */
import type { ProjectSettingsSpec } from '@ambient/contracts';

export interface SettingsFormValues {
  defaultModel: string;
  defaultTimeoutSeconds: string;
  defaultInactivityTimeoutSeconds: string;
  concurrencyLimit: string;
  modelBaseUrl: string;
}

export type SettingsFormErrors = Partial<Record<keyof SettingsFormValues, string>>;

export type SettingsFormResult = { ok: true; spec: ProjectSettingsSpec } | { ok: false; errors: SettingsFormErrors };

export function toFormValues(spec: ProjectSettingsSpec | undefined): SettingsFormValues {
  return {
    defaultModel: spec?.defaultModel ?? '',
    defaultTimeoutSeconds: spec?.defaultTimeoutSeconds?.toString() ?? '',
    defaultInactivityTimeoutSeconds: spec?.defaultInactivityTimeoutSeconds?.toString() ?? '',
    concurrencyLimit: spec?.concurrencyLimit?.toString() ?? '',
    modelBaseUrl: spec?.modelBaseUrl ?? '',
  };
}

/** Empty means "not set"; anything else must be a whole number above zero. */
function positiveWholeNumber(text: string): number | undefined | 'invalid' {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (!/^\d+$/.test(trimmed)) return 'invalid';
  const value = Number(trimmed);
  return value > 0 && Number.isSafeInteger(value) ? value : 'invalid';
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function toSettingsSpec(values: SettingsFormValues, current: ProjectSettingsSpec | undefined): SettingsFormResult {
  const errors: SettingsFormErrors = {};
  const numbers = {
    defaultTimeoutSeconds: positiveWholeNumber(values.defaultTimeoutSeconds),
    defaultInactivityTimeoutSeconds: positiveWholeNumber(values.defaultInactivityTimeoutSeconds),
    concurrencyLimit: positiveWholeNumber(values.concurrencyLimit),
  };
  for (const [field, value] of Object.entries(numbers) as [keyof typeof numbers, number | undefined | 'invalid'][]) {
    if (value === 'invalid') errors[field] = 'Enter a whole number above zero, or leave it empty.';
  }
  const modelBaseUrl = values.modelBaseUrl.trim();
  if (modelBaseUrl && !isHttpUrl(modelBaseUrl)) errors.modelBaseUrl = 'Enter an http:// or https:// URL, or leave it empty.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const number = (value: number | undefined | 'invalid'): number | undefined => (value === 'invalid' ? undefined : value);
  return {
    ok: true,
    spec: {
      ...current,
      groupAccess: current?.groupAccess ?? [],
      defaultModel: values.defaultModel.trim() || undefined,
      defaultTimeoutSeconds: number(numbers.defaultTimeoutSeconds),
      defaultInactivityTimeoutSeconds: number(numbers.defaultInactivityTimeoutSeconds),
      concurrencyLimit: number(numbers.concurrencyLimit),
      modelBaseUrl: modelBaseUrl || undefined,
    },
  };
}
