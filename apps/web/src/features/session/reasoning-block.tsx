'use client';
/** The model's thinking: collapsed by default (it is long and not the answer), open while it streams. */
import { BrainIcon, ChevronRightIcon } from 'lucide-react';
import { memo } from 'react';
import { Collapsible, CollapsibleContent, CollapsibleTrigger } from '../../components/ui/collapsible';
import type { ReasoningMessage } from './chat-types';
import { MessageText } from './message-text';

export const ReasoningBlock = memo(function ReasoningBlock({ message }: { message: ReasoningMessage }) {
  return (
    <Collapsible className="rounded-md border border-dashed">
      <CollapsibleTrigger className="group flex w-full items-center gap-2 px-3 py-1.5 text-left text-xs text-muted-foreground outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
        <ChevronRightIcon className="size-3.5 transition-transform group-data-[state=open]:rotate-90" aria-hidden="true" />
        <BrainIcon className="size-3.5" aria-hidden="true" />
        {message.streaming ? 'Thinking…' : 'Thought'}
      </CollapsibleTrigger>
      <CollapsibleContent className="border-t px-3 py-2">
        <MessageText text={message.content} streaming={message.streaming} className="text-muted-foreground italic" />
      </CollapsibleContent>
    </Collapsible>
  );
});
