'use client';
/** /session/?project=<p>&name=<s>: the live chat with one agent session. */
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import type { AgenticSession } from '@ambient/contracts';
import { AppShell } from '../layout/app-shell';
import { EmptyState, ErrorState, PageLoading } from '../layout/page-states';
import { isTerminal, useSession } from '../sessions/use-sessions';
import { isNotFound } from '../../lib/errors';
import { projectHref, projectsHref } from '../../lib/routes';
import { ChatLog } from './chat-log';
import { Composer } from './composer';
import { SessionHeader } from './session-header';
import { useSessionChat } from './use-session-chat';

function composerDisabledReason(session: AgenticSession): string | undefined {
  if (!session.spec.interactive) return 'This session is not interactive: it runs its prompt and ends.';
  if (isTerminal(session)) return 'The session has ended. Resume it to continue the conversation.';
  if (session.status?.phase === 'Stopping') return 'The session is stopping.';
  return undefined;
}

function LiveSession({ project, name, session }: { project: string; name: string; session: AgenticSession }) {
  const { chat, connection, reconnect } = useSessionChat(project, name);
  return (
    <div className="flex h-[calc(100dvh-6.5rem)] min-h-96 flex-col gap-3">
      <SessionHeader project={project} session={session} chat={chat} connection={connection} onReconnect={reconnect} />
      <ChatLog chat={chat} emptyText={chat.lastSeq === 0 ? 'Waiting for the agent…' : 'No messages yet.'} />
      <Composer project={project} name={name} disabledReason={composerDisabledReason(session)} runActive={chat.run.status === 'running'} />
    </div>
  );
}

export function SessionPage() {
  const params = useSearchParams();
  const project = params.get('project') ?? '';
  const name = params.get('name') ?? '';
  const session = useSession(project, name);

  const breadcrumbs = (
    <>
      <Link href={projectsHref} className="hover:text-foreground">
        Projects
      </Link>
      <span aria-hidden="true"> / </span>
      <Link href={projectHref(project)} className="hover:text-foreground">
        {project || 'Project'}
      </Link>
      <span aria-hidden="true"> / </span>
      <span aria-current="page" className="text-foreground">
        {session.data?.spec.displayName || name || 'Session'}
      </span>
    </>
  );

  return (
    <AppShell breadcrumbs={breadcrumbs}>
      {!project || !name ? (
        <EmptyState title="No session selected" action={<Link href={projectsHref} className="underline">Choose a project</Link>} />
      ) : session.isPending ? (
        <PageLoading label="Loading session…" />
      ) : session.isError ? (
        <ErrorState
          title={isNotFound(session.error) ? `Session "${name}" not found in project "${project}"` : 'Could not load the session'}
          error={session.error}
          onRetry={isNotFound(session.error) ? undefined : () => void session.refetch()}
        />
      ) : (
        <LiveSession project={project} name={name} session={session.data} />
      )}
    </AppShell>
  );
}
