/**
 * Which credential git gets for which repository, and the environment that hands it over.
 *
 * Tokens arrive as runner environment (a project's integration secrets): GITHUB_TOKEN for
 * github.com, GITLAB_TOKEN for gitlab.com and any host whose name contains "gitlab", GIT_TOKEN for
 * every other host of the session's repos (and as the fallback when the forge-specific one is
 * missing). Credentials written into a repo URL (`https://user:token@host/org/repo.git`) win for
 * that repository only. A host token is offered to its host only, so an agent cloning some other
 * server never sends it there.
 *
 * The mechanism is environment-only: GIT_CONFIG_COUNT/KEY/VALUE install our credential helper
 * (git-credential-helper.ts), and the secrets sit in AMBIENT_GIT_CREDENTIAL_<n>_* variables. No
 * token is ever in a URL, in .git/config or in any process's argv, and the same environment makes
 * `git push` work from the agent's Bash tool.
 */
import type { SessionRepo } from '@ambient/contracts';
import { CREDENTIAL_VARIABLE_PREFIX } from './git-credential-helper.ts';
import { parseRepositoryUrl } from './git-remote-url.ts';

export interface GitAccess {
  githubToken?: string;
  gitlabToken?: string;
  genericToken?: string;
  userName: string;
  userEmail: string;
}

export interface CredentialEntry {
  /** `protocol://host[:port]` or `protocol://host[:port]/path` (see the helper). */
  scope: string;
  username: string;
  password: string;
}

export const DEFAULT_GIT_USER_NAME = 'Ambient Agent';
export const DEFAULT_GIT_USER_EMAIL = 'agent@ambient.local';

type Environment = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function loadGitAccess(env: Environment): GitAccess {
  return {
    githubToken: nonEmpty(env['GITHUB_TOKEN']),
    gitlabToken: nonEmpty(env['GITLAB_TOKEN']),
    genericToken: nonEmpty(env['GIT_TOKEN']),
    userName: nonEmpty(env['GIT_USER_NAME']) ?? DEFAULT_GIT_USER_NAME,
    userEmail: nonEmpty(env['GIT_USER_EMAIL']) ?? DEFAULT_GIT_USER_EMAIL,
  };
}

function isGitLabHost(host: string): boolean {
  return host === 'gitlab.com' || host.includes('gitlab');
}

/** The token and the user name its forge expects with it, for one host. */
export function hostCredential(
  host: string,
  access: GitAccess,
): { username: string; password: string } | undefined {
  if (host === 'github.com') {
    const token = access.githubToken ?? access.genericToken;
    return token ? { username: 'x-access-token', password: token } : undefined;
  }
  if (isGitLabHost(host)) {
    const token = access.gitlabToken ?? access.genericToken;
    return token ? { username: 'oauth2', password: token } : undefined;
  }
  return access.genericToken ? { username: 'git', password: access.genericToken } : undefined;
}

/** Repository-specific entries first (URL credentials), then one entry per host. */
export function credentialEntries(
  repos: readonly SessionRepo[],
  access: GitAccess,
): CredentialEntry[] {
  const repositoryEntries: CredentialEntry[] = [];
  const hostEntries = new Map<string, CredentialEntry>();
  const addHost = (origin: string, host: string) => {
    const credential = hostCredential(host, access);
    if (credential && !hostEntries.has(origin))
      hostEntries.set(origin, { scope: origin, ...credential });
  };
  for (const repo of repos) {
    const parsed = parseRepositoryUrl(repo.url);
    if (!parsed.origin || !parsed.host) continue;
    const scope = `${parsed.origin}/${parsed.path ?? ''}`;
    if (parsed.password !== undefined) {
      repositoryEntries.push({
        scope,
        username: parsed.username ?? 'git',
        password: parsed.password,
      });
    } else if (parsed.username !== undefined) {
      // A user name alone: pair it with the host's token. Without one, it may itself be a token
      // (`https://<token>@github.com/…`), which forges accept with an empty password.
      const credential = hostCredential(parsed.host, access);
      repositoryEntries.push({
        scope,
        username: parsed.username,
        password: credential?.password ?? '',
      });
    }
    addHost(parsed.origin, parsed.host);
  }
  if (access.githubToken) addHost('https://github.com', 'github.com');
  if (access.gitlabToken) addHost('https://gitlab.com', 'gitlab.com');
  return [...repositoryEntries, ...hostEntries.values()];
}

/** Everything that must be redacted from logs and events. */
export function gitSecrets(repos: readonly SessionRepo[], access: GitAccess): string[] {
  const secrets = [access.githubToken, access.gitlabToken, access.genericToken];
  for (const repo of repos) {
    const parsed = parseRepositoryUrl(repo.url);
    secrets.push(parsed.password);
    // `https://<token>@host/…` is a common way to pass a token alone: treat the user as secret too.
    if (parsed.password === undefined) secrets.push(parsed.username);
  }
  return [...new Set(secrets.filter((secret): secret is string => Boolean(secret)))];
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The git part of an environment (for the runner's own git commands and for Claude Code).
 * GIT_CONFIG_* entries are read after every config file, so they win over system, global and
 * repository settings; the empty `credential.helper` first drops any helper configured elsewhere
 * (a `store` helper would otherwise write our tokens to disk).
 */
export function gitEnvironment(
  entries: readonly CredentialEntry[],
  access: GitAccess,
  helperPath: string,
): Record<string, string> {
  const config: [string, string][] = [
    ['credential.helper', ''],
    ['credential.helper', `!sh ${shellQuote(helperPath)}`],
    // Lets the helper tell two repositories of one host apart (URL credentials are per repo).
    ['credential.useHttpPath', 'true'],
    ['user.name', access.userName],
    ['user.email', access.userEmail],
    // A plain `git push` on the new working branch creates it upstream instead of failing.
    ['push.autoSetupRemote', 'true'],
  ];
  const environment: Record<string, string> = {
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_COUNT: String(config.length),
  };
  config.forEach(([key, value], index) => {
    environment[`GIT_CONFIG_KEY_${index}`] = key;
    environment[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  entries.forEach((entry, index) => {
    environment[`${CREDENTIAL_VARIABLE_PREFIX}${index}_SCOPE`] = entry.scope;
    environment[`${CREDENTIAL_VARIABLE_PREFIX}${index}_USERNAME`] = entry.username;
    environment[`${CREDENTIAL_VARIABLE_PREFIX}${index}_PASSWORD`] = entry.password;
  });
  return environment;
}
