/**
 * Message text as the agent wrote it. Whitespace is kept (agents write code and lists); rendering
 * Markdown is left for later, so nothing the agent writes is ever interpreted as HTML.
 */
import { cn } from '../../lib/utils';

export function MessageText({ text, streaming, className }: { text: string; streaming?: boolean; className?: string }) {
  return (
    <div className={cn('text-sm leading-relaxed break-words whitespace-pre-wrap', className)}>
      {text}
      {streaming ? <span className="ml-0.5 inline-block h-4 w-1.5 animate-pulse bg-current align-text-bottom opacity-60" aria-hidden="true" /> : null}
    </div>
  );
}
