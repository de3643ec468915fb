/**
 * Repository URLs as users write them, split into what may be shown and stored (the URL without
 * credentials) and what must stay secret (user name and password/token put into the URL).
 */

export interface RepositoryUrl {
  /** The URL without user info: the only form that reaches git's config, logs, events and status. */
  url: string;
  /** `https://host[:port]` for http(s) URLs (what git's credential helper protocol calls protocol+host). */
  origin?: string;
  /** The path without leading `/`, trailing `/` and `.git` (how credentials are matched per repo). */
  path?: string;
  host?: string;
  /** Credentials that came inside the URL (`https://user:token@host/…`), percent-decoded. */
  username?: string;
  password?: string;
}

export function normalizeRepositoryPath(path: string): string {
  return path
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

/**
 * Only http(s) URLs carry credentials we can take out; anything else (scp-like `git@host:org/repo`,
 * ssh://, local paths) is returned as it is, minus any password an ssh:// URL might hold.
 */
export function parseRepositoryUrl(raw: string): RepositoryUrl {
  const text = raw.trim();
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return { url: text };
  }
  const username = parsed.username ? safeDecode(parsed.username) : undefined;
  const password = parsed.password ? safeDecode(parsed.password) : undefined;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    // ssh://git@host/… keeps its (non-secret) user; a password is never meant to be there.
    if (password) parsed.password = '';
    return { url: password ? parsed.toString() : text, password };
  }
  parsed.username = '';
  parsed.password = '';
  return {
    url: parsed.toString(),
    origin: parsed.origin,
    path: normalizeRepositoryPath(parsed.pathname),
    host: parsed.hostname.toLowerCase(),
    username,
    password,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Removes user info from every http(s)/ssh URL in free text (git's messages, for instance). */
export function stripUrlCredentials(text: string): string {
  return text.replace(/\b((?:https?|ssh|git\+ssh):\/\/)[^\s/@'"]+@/gi, '$1');
}
