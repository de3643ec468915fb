/**
 * SecretStore: per-project secrets (model API keys, git tokens, integration credentials). Values go
 * in and reach runners; the API only ever shows which keys are set. Embedded: AES-GCM encrypted
 * rows; cluster: Kubernetes Secrets.
 */
export interface SecretEntry {
  key: string;
  updatedAt: string;
}

export interface SecretStore {
  /** Sets keys (an empty value removes the key); other keys stay as they are. */
  put(project: string, name: string, data: Record<string, string>): Promise<SecretEntry[]>;
  /** Which keys are set, without values. */
  describe(project: string, name: string): Promise<SecretEntry[]>;
  /** The values, for the controller that launches runners. Never returned by the API. */
  read(project: string, name: string): Promise<Record<string, string>>;
  deleteProject(project: string): Promise<void>;
}

/** Secret names the platform knows (anchor-compatible). */
export const SECRET_NAMES = {
  /** ANTHROPIC_API_KEY and other model credentials, given to runners. */
  runner: 'ambient-runner-secrets',
  /** GITHUB_TOKEN, GITLAB_TOKEN, JIRA_*, custom env: given to runners too. */
  integrations: 'ambient-non-vertex-integrations',
} as const;
