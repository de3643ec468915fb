import type { ProjectView } from '@ambient/contracts';

/** Case-insensitive match on name, display name and description; every word must match. */
export function filterProjects(projects: readonly ProjectView[], search: string): ProjectView[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...projects];
  return projects.filter((project) => {
    const haystack = [project.name, project.displayName, project.description].filter(Boolean).join(' ').toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
