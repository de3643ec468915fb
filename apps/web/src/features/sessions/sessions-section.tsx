'use client';
/** The Sessions section of a project: a live table of its sessions and "New session". */
import Link from 'next/link';
import type { AgenticSession } from '@ambient/contracts';
import { Skeleton } from '../../components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { EmptyState, ErrorState } from '../layout/page-states';
import { formatCost, formatDate } from '../../lib/format';
import { sessionHref } from '../../lib/routes';
import { NewSessionDialog } from './new-session-dialog';
import { PhaseBadge } from './phase-badge';
import { SessionRowActions } from './session-row-actions';
import { useSessions } from './use-sessions';

function SessionRow({ project, session }: { project: string; session: AgenticSession }) {
  const { name, creationTimestamp } = session.metadata;
  const displayName = session.spec.displayName;
  return (
    <TableRow>
      <TableCell className="max-w-72">
        <Link href={sessionHref(project, name)} className="block truncate font-medium underline-offset-4 hover:underline">
          {displayName || name}
        </Link>
        {displayName ? <span className="block truncate font-mono text-xs text-muted-foreground">{name}</span> : null}
      </TableCell>
      <TableCell>
        <PhaseBadge phase={session.status?.phase} />
      </TableCell>
      <TableCell>{session.spec.interactive ? 'Interactive' : 'One-shot'}</TableCell>
      <TableCell className="font-mono text-xs">{session.spec.llmSettings?.model ?? 'default'}</TableCell>
      <TableCell>{formatDate(creationTimestamp)}</TableCell>
      <TableCell className="text-right tabular-nums">{formatCost(session.status?.result?.totalCostUsd)}</TableCell>
      <TableCell className="text-right">
        <SessionRowActions project={project} session={session} />
      </TableCell>
    </TableRow>
  );
}

export function SessionsSection({ project }: { project: string }) {
  const sessions = useSessions(project);
  return (
    <section aria-labelledby="sessions-heading" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="sessions-heading" className="text-lg font-semibold">
          Sessions
        </h2>
        <NewSessionDialog project={project} />
      </div>
      {sessions.isPending ? (
        <div className="grid gap-2" aria-busy="true" aria-label="Loading sessions">
          {[0, 1, 2].map((index) => (
            <Skeleton key={index} className="h-10" />
          ))}
        </div>
      ) : sessions.isError ? (
        <ErrorState title="Could not load sessions" error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : sessions.data.length === 0 ? (
        <EmptyState title="No sessions yet" description="Start a session: give the agent a prompt and, if you like, repositories to work on." />
      ) : (
        <div className="rounded-md border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Mode</TableHead>
                <TableHead>Model</TableHead>
                <TableHead>Created</TableHead>
                <TableHead className="text-right">Cost</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sessions.data.map((session) => (
                <SessionRow key={session.metadata.name} project={project} session={session} />
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
