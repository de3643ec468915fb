'use client';
/**
 * The conversation. It follows the newest output while the reader is at the bottom, and stays put
 * (with a "Jump to latest" button) when they scrolled up to read. Streaming text is NOT an
 * aria-live region: announcing every token would drown a screen reader; status changes are
 * announced by the header instead.
 *
 * Long chats: the list is windowed with TanStack Virtual, so only the messages near the viewport
 * are in the DOM (a session of thousands of messages scrolls like a short one). Heights are
 * measured as rows render; the virtualizer is anchored to the end, so while the reader is at the
 * bottom a growing answer and new messages keep it there, and a row above that changes size does
 * not move what they read. Each row carries aria-posinset/aria-setsize, and the list its total in
 * `data-message-count`, since counting rows in the DOM no longer gives it. Message components are
 * memoised (the reducer keeps unchanged messages identical): a streaming token re-renders only the
 * message it extends.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDownIcon } from 'lucide-react';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Button } from '../../components/ui/button';
import type { ChatMessage, ChatState, ToolResultMessage } from './chat-types';
import { ChatMessageContent } from './chat-message';

/** Within this many pixels of the bottom counts as "at the bottom". */
const STICK_THRESHOLD_PX = 80;
/** A first guess at a row's height, replaced by its measured height once it has rendered. */
const ESTIMATED_ROW_PX = 96;
/** The gap between rows and the space above the first and below the last (Tailwind's 4). */
const ROW_GAP_PX = 16;
/** Rows rendered beyond each edge of the viewport, so a scroll rarely shows an unmeasured gap. */
const OVERSCAN_ROWS = 6;

function isAtBottom(element: HTMLElement): boolean {
  return element.scrollHeight - element.scrollTop - element.clientHeight < STICK_THRESHOLD_PX;
}

export function ChatLog({ chat, emptyText }: { chat: ChatState; emptyText: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const runActive = chat.run.status === 'running';

  const { resultsByCall, visible } = useMemo(() => {
    const results = new Map<string, ToolResultMessage>();
    const calls = new Set<string>();
    for (const message of chat.messages) {
      if (message.role === 'tool') results.set(message.toolCallId, message);
      if (message.role === 'assistant') for (const call of message.toolCalls) calls.add(call.id);
    }
    // A result is shown inside its call's card; only a result whose call we never saw stands alone.
    const shown: ChatMessage[] = chat.messages.filter((message) => message.role !== 'tool' || !calls.has(message.toolCallId));
    return { resultsByCall: results, visible: shown };
  }, [chat.messages]);
  const isEmpty = visible.length === 0;

  // React Compiler would skip this component (the virtualizer hands out changing functions); the app does not use it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    getItemKey: (index) => visible[index]?.id ?? index,
    overscan: OVERSCAN_ROWS,
    gap: ROW_GAP_PX,
    paddingStart: ROW_GAP_PX,
    paddingEnd: ROW_GAP_PX,
    // Stick to the bottom: keep the end in view as rows grow or arrive while the reader is there.
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: STICK_THRESHOLD_PX,
    // Scroll-driven renders go through React's scheduler (no flushSync inside React's own effects).
    useFlushSync: false,
  });

  // Open at the newest message (the library follows from there).
  useLayoutEffect(() => {
    if (virtualizer.options.count > 0) virtualizer.scrollToEnd();
  }, [virtualizer]);

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    let stuck = isAtBottom(element);
    const onScroll = (): void => {
      stuck = isAtBottom(element);
      setAtBottom(stuck);
    };
    // The box shrinks when the header grows (a status message): stay at the bottom through that too.
    // (Absent in old browsers and in jsdom: following new output still works without it.)
    const resizes =
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() => {
            if (stuck) virtualizer.scrollToEnd();
          });
    resizes?.observe(element);
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      element.removeEventListener('scroll', onScroll);
      resizes?.disconnect();
    };
  }, [virtualizer]);

  const rows = virtualizer.getVirtualItems();
  return (
    <div className="relative min-h-0 flex-1">
      <div ref={scroller} className="absolute inset-0 overflow-y-auto px-1 [overflow-anchor:none]" tabIndex={0} role="region" aria-label="Conversation">
        {isEmpty ? (
          <p className="py-12 text-center text-sm text-muted-foreground">{emptyText}</p>
        ) : (
          <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
            {/* The rendered rows flow one after another; only the first is placed, by its offset. */}
            <ol
              aria-label="Messages"
              data-message-count={visible.length}
              className="absolute top-0 left-0 flex w-full flex-col"
              style={{ transform: `translateY(${rows[0]?.start ?? 0}px)`, gap: ROW_GAP_PX }}
            >
              {rows.map((row) => {
                const message = visible[row.index]!;
                return (
                  <li
                    key={row.key}
                    ref={virtualizer.measureElement}
                    data-index={row.index}
                    data-message-id={message.id}
                    data-role={message.role}
                    {...(message.role === 'user' ? { 'data-user-message': '' } : {})}
                    aria-posinset={row.index + 1}
                    aria-setsize={visible.length}
                  >
                    <ChatMessageContent message={message} resultsByCall={resultsByCall} subagents={chat.subagents} runActive={runActive} />
                  </li>
                );
              })}
            </ol>
          </div>
        )}
      </div>
      {!atBottom ? (
        <Button variant="secondary" size="sm" className="absolute bottom-3 left-1/2 -translate-x-1/2 shadow" onClick={() => virtualizer.scrollToEnd({ behavior: 'smooth' })}>
          <ArrowDownIcon aria-hidden="true" />
          Jump to latest
        </Button>
      ) : null}
    </div>
  );
}
