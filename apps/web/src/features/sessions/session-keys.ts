/**
 * Query keys of sessions (style rule 16: one key factory per resource). `chat` holds the folded
 * event stream of a session (reduce-events.ts) with its last seq: a remounted chat resumes from the
 * cache's cursor, so nothing is fetched twice and nothing is lost.
 */
export const sessionKeys = {
  all: ['sessions'] as const,
  lists: () => [...sessionKeys.all, 'list'] as const,
  list: (project: string) => [...sessionKeys.lists(), project] as const,
  details: () => [...sessionKeys.all, 'detail'] as const,
  detail: (project: string, name: string) => [...sessionKeys.details(), project, name] as const,
  chats: () => [...sessionKeys.all, 'chat'] as const,
  chat: (project: string, name: string) => [...sessionKeys.chats(), project, name] as const,
};
