/**
 * Query keys of a session's workspace files. A file's key holds its modification time, so a file
 * the agent rewrites is read again while an unchanged one is served from the cache.
 */
export const workspaceKeys = {
  all: ['workspace'] as const,
  session: (project: string, name: string) => [...workspaceKeys.all, project, name] as const,
  listing: (project: string, name: string, path: string) => [...workspaceKeys.session(project, name), 'listing', path] as const,
  file: (project: string, name: string, path: string, modifiedAt: string) =>
    [...workspaceKeys.session(project, name), 'file', path, modifiedAt] as const,
};
