/** What the UI says about each project secret, and the keys it suggests. */
import type { ProjectSecretKind } from '@ambient/client';
import { RUNNER_SECRET_KEYS } from '@ambient/contracts';

export interface SecretKindInfo {
  title: string;
  description: string;
  /** Offered as suggestions; for the runner secret the server accepts only these. */
  suggestedKeys: string[];
  keyRule: string;
}

export const SECRET_KINDS: Record<ProjectSecretKind, SecretKindInfo> = {
  runner: {
    title: 'Runner secrets',
    description: 'Model credentials every session of this project gets as environment variables.',
    // The same list the API server enforces (one definition, in the contracts).
    suggestedKeys: [...RUNNER_SECRET_KEYS],
    keyRule: 'Only model credentials are accepted (ANTHROPIC_API_KEY, AWS_*, …).',
  },
  integrations: {
    title: 'Integration secrets',
    description: 'Tokens for git hosts and other tools, e.g. GITHUB_TOKEN or GITLAB_TOKEN.',
    suggestedKeys: ['GITHUB_TOKEN', 'GITLAB_TOKEN', 'GIT_TOKEN'],
    keyRule: 'Any environment variable name.',
  },
};

export const SECRET_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
