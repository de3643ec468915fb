/** `ambient sessions get`: one session as labelled lines, the facts a person asks about first. */
import type { AgenticSession } from '@ambient/contracts';
import { firstLine, formatAge, formatResultFacts, truncate } from './values.ts';

const PROMPT_PREVIEW_LENGTH = 100;

export function formatSessionDetails(session: AgenticSession, now: Date): string {
  const rows = [...specRows(session, now), ...statusRows(session)];
  const shown = rows.filter(([, value]) => value !== '');
  const width = Math.max(...shown.map(([label]) => label.length)) + 2;
  return shown.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join('\n') + '\n';
}

type Row = [label: string, value: string];

function specRows(session: AgenticSession, now: Date): Row[] {
  const { metadata, spec } = session;
  const created = metadata.creationTimestamp;
  return [
    ['Name', metadata.name],
    ['Project', metadata.namespace ?? ''],
    ['Display name', spec.displayName ?? ''],
    ['Phase', session.status?.phase ?? 'Pending'],
    ['Interactive', spec.interactive ? 'yes' : 'no'],
    ['Created', created ? `${created} (${formatAge(created, now)})` : ''],
    ['Model', spec.llmSettings?.model ?? ''],
    [
      'Prompt',
      spec.initialPrompt ? truncate(firstLine(spec.initialPrompt), PROMPT_PREVIEW_LENGTH) : '',
    ],
    [
      'Repos',
      (spec.repos ?? [])
        .map((repo) => (repo.branch ? `${repo.url}@${repo.branch}` : repo.url))
        .join(', '),
    ],
    ['Timeout', spec.timeout ? `${spec.timeout} s` : ''],
  ];
}

function statusRows(session: AgenticSession): Row[] {
  const status = session.status;
  const rows: Row[] = [
    ['Runs', status?.runCount !== undefined ? String(status.runCount) : ''],
    ['Result', resultLine(session)],
    ['Stopped because', status?.stoppedReason ?? ''],
    ['Message', status?.message ?? ''],
  ];
  for (const condition of status?.conditions ?? []) {
    const reason = condition.reason ? ` ${condition.reason}` : '';
    const message = condition.message
      ? `: ${truncate(condition.message, PROMPT_PREVIEW_LENGTH)}`
      : '';
    rows.push([`Condition ${condition.type}`, `${condition.status}${reason}${message}`]);
  }
  return rows;
}

function resultLine(session: AgenticSession): string {
  const result = session.status?.result;
  if (!result) return '';
  const outcome = result.isError ? `error (${result.subtype})` : result.subtype;
  return [outcome, ...formatResultFacts(result)].join(' · ');
}
