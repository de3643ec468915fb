'use client';
/**
 * /session/?project=<p>&name=<s>[&tab=files|repos]: one agent session. The header (phase, costs,
 * actions) stays on top; below it the Chat, Files and Repos tabs. The tab is in the URL, so a
 * reload or a shared link opens the same view.
 */
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { FolderTreeIcon, GitBranchIcon, MessagesSquareIcon } from 'lucide-react';
import { useState } from 'react';
import type { AgenticSession } from '@ambient/contracts';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '../../components/ui/tabs';
import { AppShell } from '../layout/app-shell';
import { EmptyState, ErrorState, PageLoading } from '../layout/page-states';
import { isTerminal, useSession } from '../sessions/use-sessions';
import { WORKSPACE_ROOT, WorkspaceBrowser } from '../workspace/workspace-browser';
import type { WorkspaceLocation } from '../workspace/workspace-browser';
import { isNotFound } from '../../lib/errors';
import { isSessionTab, projectHref, projectsHref, sessionHref } from '../../lib/routes';
import type { SessionTab } from '../../lib/routes';
import { ChatLog } from './chat-log';
import { Composer } from './composer';
import { ReposPanel } from './repos-panel';
import { SessionHeader } from './session-header';
import { useSessionChat } from './use-session-chat';

function composerDisabledReason(session: AgenticSession): string | undefined {
  if (!session.spec.interactive) return 'This session is not interactive: it runs its prompt and ends.';
  if (isTerminal(session)) return 'The session has ended. Resume it to continue the conversation.';
  if (session.status?.phase === 'Stopping') return 'The session is stopping.';
  return undefined;
}

interface LiveSessionProps {
  project: string;
  name: string;
  session: AgenticSession;
  tab: SessionTab;
  onTabChange(tab: SessionTab): void;
}

function LiveSession({ project, name, session, tab, onTabChange }: LiveSessionProps) {
  // The stream is followed whichever tab is shown, so the header's phase and costs stay live.
  const { chat, connection, reconnect } = useSessionChat(project, name);
  const [workspaceLocation, setWorkspaceLocation] = useState<WorkspaceLocation>(WORKSPACE_ROOT);
  const repoCount = session.spec.repos?.length ?? 0;
  return (
    <div className="flex h-[calc(100dvh-6.5rem)] min-h-96 flex-col gap-3">
      <SessionHeader project={project} session={session} chat={chat} connection={connection} onReconnect={reconnect} />
      <Tabs value={tab} onValueChange={(value) => onTabChange(isSessionTab(value) ? value : 'chat')} className="min-h-0 flex-1 gap-3">
        <TabsList aria-label="Session views">
          <TabsTrigger value="chat">
            <MessagesSquareIcon aria-hidden="true" />
            Chat
          </TabsTrigger>
          <TabsTrigger value="files">
            <FolderTreeIcon aria-hidden="true" />
            Files
          </TabsTrigger>
          <TabsTrigger value="repos">
            <GitBranchIcon aria-hidden="true" />
            Repos
            {repoCount > 0 ? <span className="rounded-full bg-muted px-1.5 text-xs tabular-nums text-muted-foreground">{repoCount}</span> : null}
          </TabsTrigger>
        </TabsList>
        <TabsContent value="chat" className="flex min-h-0 flex-col gap-3">
          <ChatLog chat={chat} emptyText={chat.lastSeq === 0 ? 'Waiting for the agent…' : 'No messages yet.'} />
          <Composer project={project} name={name} disabledReason={composerDisabledReason(session)} runActive={chat.run.status === 'running'} />
        </TabsContent>
        <TabsContent value="files" className="flex min-h-0 flex-col">
          <WorkspaceBrowser
            project={project}
            session={name}
            live={!isTerminal(session)}
            location={workspaceLocation}
            onLocationChange={setWorkspaceLocation}
          />
        </TabsContent>
        <TabsContent value="repos" className="min-h-0 overflow-y-auto">
          <ReposPanel session={session} />
        </TabsContent>
      </Tabs>
    </div>
  );
}

export function SessionPage() {
  const params = useSearchParams();
  const project = params.get('project') ?? '';
  const name = params.get('name') ?? '';
  const requestedTab = params.get('tab');
  const tab: SessionTab = isSessionTab(requestedTab) ? requestedTab : 'chat';
  const router = useRouter();
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
        // Keyed by the session: after a clone navigates here, the stream and the file browser start afresh.
        <LiveSession
          key={`${project}/${name}`}
          project={project}
          name={name}
          session={session.data}
          tab={tab}
          onTabChange={(next) => router.replace(sessionHref(project, name, next), { scroll: false })}
        />
      )}
    </AppShell>
  );
}
