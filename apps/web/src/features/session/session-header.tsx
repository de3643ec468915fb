'use client';
/** The session's name, phase (announced to screen readers when it changes), conditions, costs and actions (stop/resume, clone, export, delete). */
import { PlayIcon, SquareIcon } from 'lucide-react';
import type { AgenticSession } from '@ambient/contracts';
import { Button } from '../../components/ui/button';
import { PhaseBadge } from '../sessions/phase-badge';
import { isTerminal, useStartSession, useStopSession } from '../sessions/use-sessions';
import { describeError } from '../../lib/errors';
import { formatCost, formatDuration, formatTokens } from '../../lib/format';
import type { ChatState } from './chat-types';
import { ConnectionIndicator } from './connection-indicator';
import { SessionActionsMenu } from './session-actions-menu';
import { sessionSummary } from './session-summary';
import type { ConnectionState } from './use-session-chat';

const RUN_STATUS_TEXT: Record<ChatState['run']['status'], string> = {
  idle: 'waiting',
  running: 'the agent is working',
  finished: 'the agent finished its turn',
  cancelled: 'the turn was interrupted',
  failed: 'the turn failed',
};

interface SessionHeaderProps {
  project: string;
  session: AgenticSession;
  chat: ChatState;
  connection: ConnectionState;
  onReconnect: () => void;
}

export function SessionHeader({ project, session, chat, connection, onReconnect }: SessionHeaderProps) {
  const name = session.metadata.name;
  const phase = session.status?.phase;
  const stop = useStopSession(project);
  const start = useStartSession(project);
  const summary = sessionSummary(session, chat);
  const conditions = session.status?.conditions ?? [];
  const model = session.spec.llmSettings?.model ?? chat.model;
  const error = stop.error ?? start.error;

  return (
    <header className="grid gap-3 border-b pb-3">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="min-w-0 truncate text-xl font-semibold">{session.spec.displayName || name}</h1>
        <PhaseBadge phase={phase} />
        <ConnectionIndicator connection={connection} onReconnect={onReconnect} />
        <div className="ml-auto flex flex-wrap gap-2">
          {!isTerminal(session) && phase !== 'Stopping' ? (
            <Button variant="outline" size="sm" onClick={() => stop.mutate(name)} disabled={stop.isPending}>
              <SquareIcon aria-hidden="true" />
              {stop.isPending ? 'Stopping…' : 'Stop'}
            </Button>
          ) : null}
          {isTerminal(session) ? (
            <Button variant="outline" size="sm" onClick={() => start.mutate(name)} disabled={start.isPending}>
              <PlayIcon aria-hidden="true" />
              {start.isPending ? 'Resuming…' : 'Resume'}
            </Button>
          ) : null}
          <SessionActionsMenu project={project} session={session} />
        </div>
      </div>
      {/* One polite status region: phase and turn changes are announced, streaming text is not. */}
      <p role="status" aria-live="polite" className="sr-only">
        Session {phase ?? 'Pending'}, {RUN_STATUS_TEXT[chat.run.status]}
        {chat.retry ? `, the model API is busy: retry ${chat.retry.attempt}` : ''}
      </p>
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-xs text-muted-foreground">
        <div className="flex gap-1">
          <dt>Model</dt>
          <dd className="font-mono text-foreground">{model ?? 'default'}</dd>
        </div>
        <div className="flex gap-1">
          <dt>Cost</dt>
          <dd className="text-foreground tabular-nums" data-testid="session-cost">
            {formatCost(summary.costUsd)}
          </dd>
        </div>
        <div className="flex gap-1">
          <dt>Tokens in / out</dt>
          <dd className="text-foreground tabular-nums">
            {formatTokens(summary.inputTokens)} / {formatTokens(summary.outputTokens)}
          </dd>
        </div>
        <div className="flex gap-1">
          <dt>Turns</dt>
          <dd className="text-foreground tabular-nums">{summary.turns ?? '—'}</dd>
        </div>
        <div className="flex gap-1">
          <dt>Duration</dt>
          <dd className="text-foreground tabular-nums">{formatDuration(summary.durationMs)}</dd>
        </div>
        {session.spec.interactive ? null : (
          <div className="flex gap-1">
            <dt className="sr-only">Mode</dt>
            <dd>one-shot</dd>
          </div>
        )}
      </dl>
      {chat.retry ? (
        <p className="text-xs text-amber-700 dark:text-amber-400">
          The model API is busy{chat.retry.errorStatus ? ` (${chat.retry.errorStatus})` : ''}; Claude Code is retrying (attempt {chat.retry.attempt}
          {chat.retry.maxRetries ? ` of ${chat.retry.maxRetries}` : ''}).
        </p>
      ) : null}
      {session.status?.message ? <p className="text-sm">{session.status.message}</p> : null}
      {conditions.length > 0 ? (
        <details className="text-xs">
          <summary className="cursor-pointer text-muted-foreground">Conditions ({conditions.length})</summary>
          <ul className="mt-2 grid gap-1">
            {conditions.map((condition) => (
              <li key={condition.type} className="flex flex-wrap gap-2">
                <span className="font-mono font-medium">{condition.type}</span>
                <span className={condition.status === 'True' ? 'text-emerald-700 dark:text-emerald-400' : 'text-muted-foreground'}>{condition.status}</span>
                {condition.reason ? <span>{condition.reason}</span> : null}
                {condition.message ? <span className="text-muted-foreground">{condition.message}</span> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {describeError(error)}
        </p>
      ) : null}
    </header>
  );
}
