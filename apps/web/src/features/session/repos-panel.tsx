'use client';
/**
 * The session's repositories: what the spec asked for (URL, branch, push when done) beside what the
 * runner reported in status.repos (cloned, pushed, the pull request). The runner reports them in the
 * spec's order, so they are paired by position, and by URL when the counts differ.
 */
import { ExternalLinkIcon, GitBranchIcon, GitPullRequestIcon } from 'lucide-react';
import type { AgenticSession, SessionRepoStatus } from '@ambient/contracts';
import type { ReactNode } from 'react';
import { Badge } from '../../components/ui/badge';
import type { BadgeVariant } from '../../components/ui/badge';
import { EmptyState } from '../layout/page-states';
import { formatDate } from '../../lib/format';

type RepoState = NonNullable<SessionRepoStatus['status']>;

const STATUS_VARIANTS: Record<RepoState, BadgeVariant> = {
  Cloning: 'secondary',
  Ready: 'info',
  Failed: 'destructive',
  Pushed: 'success',
  NoChanges: 'outline',
};
const STATUS_TEXT: Record<RepoState, string> = {
  Cloning: 'Cloning',
  Ready: 'Cloned',
  Failed: 'Clone failed',
  Pushed: 'Pushed',
  NoChanges: 'No changes',
};

export interface RepoRow {
  url: string;
  /** The spec's branch, or the runner's default for it. */
  branch: string;
  branchIsDefault: boolean;
  autoPush: boolean | undefined;
  status?: SessionRepoStatus;
}

export function repoRows(session: AgenticSession): RepoRow[] {
  const specRepos = session.spec.repos ?? [];
  const statuses = session.status?.repos ?? [];
  const sameCount = specRepos.length === statuses.length;
  const rows: RepoRow[] = specRepos.map((repo, index) => ({
    url: repo.url,
    branch: repo.branch || `ambient/${session.metadata.name}`,
    branchIsDefault: !repo.branch,
    autoPush: repo.autoPush,
    status: sameCount ? statuses[index] : statuses.find((status) => status.url === repo.url),
  }));
  // A status without a spec entry (the spec changed since): still worth showing.
  for (const status of statuses) {
    if (!rows.some((row) => row.status === status)) {
      rows.push({ url: status.url ?? status.name, branch: status.branch ?? '—', branchIsDefault: false, autoPush: undefined, status });
    }
  }
  return rows;
}

/** Only web links become links: a URL from the runner must not be able to run script. */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className="inline-flex items-center gap-1 underline-offset-4 hover:underline">
      {children}
      <ExternalLinkIcon className="size-3" aria-hidden="true" />
      <span className="sr-only">(opens in a new tab)</span>
    </a>
  );
}

function RepoCard({ row, waiting }: { row: RepoRow; waiting: boolean }) {
  const status = row.status;
  const webUrl = safeHttpUrl(row.url);
  const pullRequest = safeHttpUrl(status?.pullRequestUrl);
  const branch = status?.branch ?? row.branch;
  return (
    <li className="grid gap-3 rounded-lg border p-4" data-repo-url={row.url}>
      <div className="flex flex-wrap items-start gap-2">
        <div className="min-w-0 flex-1">
          <h3 className="truncate font-mono text-sm font-medium">{status?.name ?? row.url.split('/').pop()?.replace(/\.git$/, '') ?? row.url}</h3>
          <p className="truncate text-xs text-muted-foreground">{webUrl ? <ExternalLink href={webUrl}>{row.url}</ExternalLink> : row.url}</p>
        </div>
        {status?.status ? (
          <Badge variant={STATUS_VARIANTS[status.status]} data-repo-status={status.status}>
            {STATUS_TEXT[status.status]}
          </Badge>
        ) : (
          <Badge variant="outline" className="text-muted-foreground">
            {waiting ? 'Not cloned yet' : 'No report'}
          </Badge>
        )}
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr_auto_1fr]">
        <dt className="text-muted-foreground">Branch</dt>
        <dd className="flex min-w-0 items-center gap-1 font-mono text-[13px]">
          <GitBranchIcon className="size-3.5 shrink-0 text-muted-foreground" aria-hidden="true" />
          <span className="truncate">{branch}</span>
          {row.branchIsDefault && !status?.branch ? <span className="font-sans text-xs text-muted-foreground">(default)</span> : null}
        </dd>
        <dt className="text-muted-foreground">Push when done</dt>
        <dd>{row.autoPush === undefined ? '—' : row.autoPush ? 'Yes' : 'No'}</dd>
        {status?.added !== undefined || status?.removed !== undefined ? (
          <>
            <dt className="text-muted-foreground">Changes</dt>
            <dd className="tabular-nums">
              <span className="text-emerald-700 dark:text-emerald-400">+{status.added ?? 0}</span>{' '}
              <span className="text-destructive">−{status.removed ?? 0}</span>
            </dd>
          </>
        ) : null}
        {status?.pushedAt ? (
          <>
            <dt className="text-muted-foreground">Pushed</dt>
            <dd>{formatDate(status.pushedAt)}</dd>
          </>
        ) : null}
        {pullRequest ? (
          <>
            <dt className="text-muted-foreground">Pull request</dt>
            <dd className="flex min-w-0 items-center gap-1">
              <GitPullRequestIcon className="size-3.5 shrink-0 text-muted-foreground" aria-hidden="true" />
              <ExternalLink href={pullRequest}>{pullRequest.replace(/^https?:\/\//, '')}</ExternalLink>
            </dd>
          </>
        ) : null}
      </dl>
    </li>
  );
}

export function ReposPanel({ session }: { session: AgenticSession }) {
  const rows = repoRows(session);
  if (rows.length === 0) {
    return <EmptyState title="No repositories" description="This session works without a git repository; its files are in the Files tab." />;
  }
  const phase = session.status?.phase ?? 'Pending';
  const waiting = phase === 'Pending' || phase === 'Creating';
  return (
    <ul className="grid gap-3" aria-label="Repositories">
      {rows.map((row, index) => (
        <RepoCard key={`${row.url}-${index}`} row={row} waiting={waiting} />
      ))}
    </ul>
  );
}
