/** Plain aligned columns (no borders), so output stays greppable and fits narrow terminals. */
import type { AgenticSession, ProjectView } from '@ambient/contracts';
import { formatAge } from './values.ts';

const COLUMN_GAP = '  ';

export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
      )
      .join(COLUMN_GAP)
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

export function formatProjectTable(projects: readonly ProjectView[], now: Date): string {
  return formatTable(
    ['NAME', 'CREATED', 'DISPLAY NAME'],
    projects.map((project) => [
      project.name,
      formatAge(project.creationTimestamp, now),
      project.displayName ?? '',
    ]),
  );
}

export function formatSessionTable(sessions: readonly AgenticSession[], now: Date): string {
  return formatTable(
    ['NAME', 'PHASE', 'CREATED', 'DISPLAY NAME'],
    sessions.map((session) => [
      session.metadata.name,
      session.status?.phase ?? 'Pending',
      formatAge(session.metadata.creationTimestamp, now),
      session.spec.displayName ?? '',
    ]),
  );
}
