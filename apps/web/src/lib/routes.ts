/**
 * Links inside the UI. The UI is a static export (ADR 0007), so ids travel in query parameters, not
 * in path segments: one exported page serves every project and every session.
 */
export const PROJECT_SECTIONS = ['sessions', 'sharing', 'settings', 'keys'] as const;
export type ProjectSection = (typeof PROJECT_SECTIONS)[number];

export function isProjectSection(value: string | null): value is ProjectSection {
  return value !== null && (PROJECT_SECTIONS as readonly string[]).includes(value);
}

export const projectsHref = '/projects/';

export function projectHref(name: string, section: ProjectSection = 'sessions'): string {
  const query = new URLSearchParams({ name, section });
  return `/project/?${query.toString()}`;
}

/** The session page's tabs; the chat is the default and leaves `tab` out of the URL. */
export const SESSION_TABS = ['chat', 'files', 'repos'] as const;
export type SessionTab = (typeof SESSION_TABS)[number];

export function isSessionTab(value: string | null): value is SessionTab {
  return value !== null && (SESSION_TABS as readonly string[]).includes(value);
}

export function sessionHref(project: string, name: string, tab: SessionTab = 'chat'): string {
  const query = new URLSearchParams({ project, name, ...(tab === 'chat' ? {} : { tab }) });
  return `/session/?${query.toString()}`;
}

/** Sign-in remembers where the user was going; only same-site paths are accepted back. */
export function signInHref(next?: string): string {
  if (!next || next.startsWith('/signin')) return '/signin/';
  return `/signin/?${new URLSearchParams({ next }).toString()}`;
}

export function safeNextPath(next: string | null): string {
  // "//host" and "/\host" are protocol-relative URLs to another site: never redirect there.
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return projectsHref;
  return next;
}
