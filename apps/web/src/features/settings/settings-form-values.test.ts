import { describe, expect, it } from 'vitest';
import { toFormValues, toSettingsSpec } from './settings-form-values';

describe('settings form values', () => {
  it('round-trips a spec and keeps the fields the form does not show', () => {
    const current = { groupAccess: [{ groupName: 'team', role: 'edit' as const }], monthlyBudgetUsd: 20, defaultModel: 'old' };
    const values = { ...toFormValues(current), defaultModel: ' claude-new ', concurrencyLimit: '3', modelBaseUrl: '' };
    expect(toSettingsSpec(values, current)).toEqual({
      ok: true,
      spec: {
        groupAccess: [{ groupName: 'team', role: 'edit' }],
        monthlyBudgetUsd: 20,
        defaultModel: 'claude-new',
        defaultTimeoutSeconds: undefined,
        defaultInactivityTimeoutSeconds: undefined,
        concurrencyLimit: 3,
        modelBaseUrl: undefined,
      },
    });
  });

  it('rejects numbers that are not whole and positive, and URLs that are not http', () => {
    const result = toSettingsSpec({ ...toFormValues(undefined), defaultTimeoutSeconds: '1.5', concurrencyLimit: '0', modelBaseUrl: 'ftp://x' }, undefined);
    expect(result.ok).toBe(false);
    expect(result.ok ? {} : Object.keys(result.errors).sort()).toEqual(['concurrencyLimit', 'defaultTimeoutSeconds', 'modelBaseUrl']);
  });
});
