/** The "New session" form's values → the API's create body, with the checks a user should see first. */
import type { CreateSessionInput } from '@ambient/client';
import type { RepoDraft } from './repos-fields';

export interface SessionFormValues {
  prompt: string;
  displayName: string;
  interactive: boolean;
  model: string;
  /** Seconds, as typed (empty: the project's default). */
  timeout: string;
  repos: RepoDraft[];
}

export type SessionFormResult = { ok: true; body: CreateSessionInput } | { ok: false; errors: Partial<Record<'prompt' | 'timeout' | 'repos', string>> };

export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

export function toCreateSessionBody(values: SessionFormValues): SessionFormResult {
  const errors: Partial<Record<'prompt' | 'timeout' | 'repos', string>> = {};
  const prompt = values.prompt.trim();
  // An interactive session may start without a prompt and wait for the first message.
  if (!prompt && !values.interactive) errors.prompt = 'A session that is not interactive needs a prompt.';
  let timeout: number | undefined;
  if (values.timeout.trim()) {
    timeout = Number(values.timeout);
    if (!Number.isInteger(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_SECONDS) {
      errors.timeout = `Whole seconds between 1 and ${MAX_TIMEOUT_SECONDS}.`;
    }
  }
  const repos = values.repos.filter((repo) => repo.url.trim());
  if (repos.some((repo) => /\s/.test(repo.url.trim()))) errors.repos = 'A repository URL cannot contain spaces.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const body: CreateSessionInput = { interactive: values.interactive };
  if (prompt) body.prompt = prompt;
  if (values.displayName.trim()) body.displayName = values.displayName.trim();
  if (values.model.trim()) body.llmSettings = { model: values.model.trim() };
  if (timeout !== undefined) body.timeout = timeout;
  if (repos.length > 0) {
    body.repos = repos.map((repo) => ({
      url: repo.url.trim(),
      ...(repo.branch.trim() ? { branch: repo.branch.trim() } : {}),
      autoPush: repo.autoPush,
    }));
  }
  return { ok: true, body };
}
