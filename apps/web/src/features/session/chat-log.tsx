'use client';
/**
 * The conversation. It follows the newest output while the reader is at the bottom, and stays put
 * (with a "Jump to latest" button) when they scrolled up to read. Streaming text is NOT an
 * aria-live region: announcing every token would drown a screen reader; status changes are
 * announced by the header instead.
 *
 * Long chats: message components are memoised (the reducer keeps unchanged messages identical), so
 * a streaming token re-renders only the message it extends. Windowed rendering (virtualisation) is
 * the next step for sessions of many thousands of messages; `content-visibility: auto` was tried
 * and dropped: its estimated heights made the follow-the-bottom scrolling jump.
 */
import { ArrowDownIcon } from 'lucide-react';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Button } from '../../components/ui/button';
import type { ChatState, ToolResultMessage } from './chat-types';
import { ChatMessageItem } from './chat-message';

/** Within this many pixels of the bottom counts as "at the bottom". */
const STICK_THRESHOLD_PX = 80;

export function ChatLog({ chat, emptyText }: { chat: ChatState; emptyText: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const runActive = chat.run.status === 'running';

  const { resultsByCall, callIds } = useMemo(() => {
    const results = new Map<string, ToolResultMessage>();
    const calls = new Set<string>();
    for (const message of chat.messages) {
      if (message.role === 'tool') results.set(message.toolCallId, message);
      if (message.role === 'assistant') for (const call of message.toolCalls) calls.add(call.id);
    }
    return { resultsByCall: results, callIds: calls };
  }, [chat.messages]);

  const visible = chat.messages.filter((message) => message.role !== 'tool' || !callIds.has(message.toolCallId));
  const isEmpty = visible.length === 0;

  // Follow new output only when the reader is already at the bottom.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && atBottom) element.scrollTop = element.scrollHeight;
  }, [chat.messages, atBottom]);

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    let stuck = true;
    const onScroll = (): void => {
      stuck = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_THRESHOLD_PX;
      setAtBottom(stuck);
    };
    // The box shrinks when the header grows (a status message) and content reflows when a tool
    // call opens: stay at the bottom through those too, not only when messages change.
    // (Absent in old browsers and in jsdom: following on new messages still works without it.)
    const resizes =
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() => {
            if (stuck) element.scrollTop = element.scrollHeight;
          });
    resizes?.observe(element);
    if (element.firstElementChild) resizes?.observe(element.firstElementChild);
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      element.removeEventListener('scroll', onScroll);
      resizes?.disconnect();
    };
  }, [isEmpty]);

  return (
    <div className="relative min-h-0 flex-1">
      <div ref={scroller} className="absolute inset-0 overflow-y-auto px-1" tabIndex={0} role="region" aria-label="Conversation">
        {isEmpty ? (
          <p className="py-12 text-center text-sm text-muted-foreground">{emptyText}</p>
        ) : (
          <ol className="flex flex-col gap-4 py-4" aria-label="Messages">
            {visible.map((message) => (
              <ChatMessageItem key={message.id} message={message} resultsByCall={resultsByCall} subagents={chat.subagents} runActive={runActive} />
            ))}
          </ol>
        )}
      </div>
      {!atBottom ? (
        <Button
          variant="secondary"
          size="sm"
          className="absolute bottom-3 left-1/2 -translate-x-1/2 shadow"
          onClick={() => {
            const element = scroller.current;
            if (element) element.scrollTo({ top: element.scrollHeight, behavior: 'smooth' });
          }}
        >
          <ArrowDownIcon aria-hidden="true" />
          Jump to latest
        </Button>
      ) : null}
    </div>
  );
}
