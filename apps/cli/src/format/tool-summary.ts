/**
 * The few words after a tool's name in `→ Write hello.txt`: the argument that says what the call
 * does (a path, a command, a pattern). Tool arguments arrive as streamed JSON text.
 */
import { firstLine, truncate } from './values.ts';

/** In order of preference: the first one a call has is shown. */
const SUMMARY_FIELDS = [
  'file_path',
  'notebook_path',
  'path',
  'command',
  'pattern',
  'url',
  'query',
  'description',
  'prompt',
  'subject',
] as const;
const PATH_FIELDS = new Set(['file_path', 'notebook_path', 'path']);
const MAX_SUMMARY_LENGTH = 80;

export function summarizeToolArguments(
  argumentsText: string,
  workingDirectory: string | undefined,
): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsText);
  } catch {
    return truncate(firstLine(argumentsText), MAX_SUMMARY_LENGTH);
  }
  if (typeof parsed !== 'object' || parsed === null) return '';
  const fields = parsed as Record<string, unknown>;
  for (const field of SUMMARY_FIELDS) {
    const value = fields[field];
    if (typeof value !== 'string' || value === '') continue;
    const shown = PATH_FIELDS.has(field) ? relativeTo(value, workingDirectory) : value;
    return truncate(firstLine(shown), MAX_SUMMARY_LENGTH);
  }
  return '';
}

/** Workspace paths are absolute in tool calls; inside the agent's directory the rest is enough. */
function relativeTo(path: string, workingDirectory: string | undefined): string {
  if (!workingDirectory) return path;
  const prefix = workingDirectory.endsWith('/') ? workingDirectory : `${workingDirectory}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}
