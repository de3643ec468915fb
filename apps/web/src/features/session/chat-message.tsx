'use client';
/**
 * One entry of the conversation, by role (its list item, with the data attributes, is chat-log's).
 * Memoised: the reducer keeps untouched messages identical, so only changed messages re-render.
 */
import { AlertTriangleIcon, BotIcon, InfoIcon } from 'lucide-react';
import { memo } from 'react';
import type { ReactNode } from 'react';
import type { ChatMessage, SubagentView, ToolResultMessage } from './chat-types';
import { MarkdownText, MessageText } from './message-text';
import { ReasoningBlock } from './reasoning-block';
import { ToolCallCard } from './tool-call-card';

export interface ChatMessageProps {
  message: ChatMessage;
  resultsByCall: ReadonlyMap<string, ToolResultMessage>;
  subagents: Readonly<Record<string, SubagentView>>;
  runActive: boolean;
}

/** Work a sub-agent did is indented under a label naming it, so the main thread stays readable. */
function SubagentFrame({ subagent, children }: { subagent: SubagentView | undefined; children: ReactNode }) {
  if (!subagent) return <>{children}</>;
  return (
    <div className="ml-4 border-l-2 border-sky-300 pl-3 dark:border-sky-700">
      <p className="mb-1 text-xs font-medium text-sky-700 dark:text-sky-300">
        Sub-agent {subagent.name}
        {subagent.description ? <span className="font-normal text-muted-foreground"> · {subagent.description}</span> : null}
      </p>
      {children}
    </div>
  );
}

function unknownSubagent(id: string): SubagentView {
  return { id, name: id.slice(0, 12), status: 'running' };
}

function MessageBody({ message, resultsByCall, subagents, runActive }: ChatMessageProps) {
  switch (message.role) {
    case 'user':
      return (
        <div className="flex justify-end">
          <div className="max-w-[85%] rounded-lg bg-primary px-3 py-2 text-primary-foreground">
            <span className="sr-only">You: </span>
            <MessageText text={message.content} streaming={message.streaming} />
          </div>
        </div>
      );
    case 'assistant':
      return (
        <div className="flex gap-3">
          <BotIcon className="mt-0.5 size-5 shrink-0 text-muted-foreground" aria-hidden="true" />
          <div className="grid min-w-0 flex-1 gap-2">
            <span className="sr-only">Agent: </span>
            {message.content ? <MarkdownText text={message.content} streaming={message.streaming} /> : null}
            {message.toolCalls.map((call) => (
              <ToolCallCard key={call.id} call={call} result={resultsByCall.get(call.id)} subagent={subagents[call.id]} runActive={runActive} />
            ))}
          </div>
        </div>
      );
    case 'tool':
      // Shown inside its call's card; only a result whose call we never saw stands alone.
      return (
        <div className="ml-8 rounded-md border px-3 py-2 text-xs">
          <p className="mb-1 font-medium text-muted-foreground">Tool result</p>
          <pre className="max-h-60 overflow-auto font-mono whitespace-pre-wrap">{message.content}</pre>
        </div>
      );
    case 'reasoning':
      return (
        <div className="ml-8">
          <ReasoningBlock message={message} />
        </div>
      );
    case 'system':
      return <MessageText text={message.content} className="text-muted-foreground" />;
    case 'run-error':
      return (
        <div role="alert" className="flex gap-2 rounded-md border border-destructive/50 bg-destructive/10 px-3 py-2 text-sm text-destructive">
          <AlertTriangleIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          <div>
            <p className="font-medium">The run failed{message.code ? ` (${message.code})` : ''}</p>
            <p className="whitespace-pre-wrap">{message.message}</p>
          </div>
        </div>
      );
    case 'notice':
      return (
        <p className="flex items-center justify-center gap-1.5 text-xs text-muted-foreground">
          <InfoIcon className="size-3.5" aria-hidden="true" />
          {message.content}
        </p>
      );
  }
}

export const ChatMessageContent = memo(function ChatMessageContent(props: ChatMessageProps) {
  const { message, subagents } = props;
  const subagentId = message.subagentRunId;
  const subagent = subagentId ? (subagents[subagentId] ?? unknownSubagent(subagentId)) : undefined;
  return (
    <SubagentFrame subagent={subagent}>
      <MessageBody {...props} />
    </SubagentFrame>
  );
});
