/**
 * Message text. The agent's replies are Markdown (GitHub flavour: tables, task lists, strikethrough)
 * rendered by react-markdown, which builds React elements and never injects HTML: raw HTML in the
 * text is dropped (`skipHtml`), link targets pass react-markdown's URL filter (no `javascript:`),
 * links open in a new tab without handing it this page (`rel="noopener noreferrer"`), and images
 * become links, so a reply cannot make the browser fetch anything by itself. What people type
 * stays plain text with its whitespace.
 */
import { memo } from 'react';
import Markdown from 'react-markdown';
import type { Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { cn } from '../../lib/utils';

const REMARK_PLUGINS = [remarkGfm];

function StreamingCursor() {
  return <span className="ml-0.5 inline-block h-4 w-1.5 animate-pulse bg-current align-text-bottom opacity-60" aria-hidden="true" />;
}

export function MessageText({ text, streaming, className }: { text: string; streaming?: boolean; className?: string }) {
  return (
    <div className={cn('text-sm leading-relaxed break-words whitespace-pre-wrap', className)}>
      {text}
      {streaming ? <StreamingCursor /> : null}
    </div>
  );
}

/** react-markdown passes each element its syntax-tree `node`: not a DOM attribute. */
function domProps<Props extends { node?: unknown }>(props: Props): Omit<Props, 'node'> {
  const { node, ...rest } = props;
  void node;
  return rest;
}

/** Each element styled here (no typography plugin). */
const COMPONENTS: Components = {
  a: ({ children, ...props }) => (
    <a {...domProps(props)} target="_blank" rel="noopener noreferrer" className="font-medium text-primary underline underline-offset-4">
      {children}
    </a>
  ),
  img: ({ src, alt }) =>
    typeof src === 'string' && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer" className="text-primary underline underline-offset-4">
        {alt || 'image'}
      </a>
    ) : (
      <>{alt}</>
    ),
  p: (props) => <p {...domProps(props)} className="my-2 first:mt-0 last:mb-0" />,
  ul: (props) => <ul {...domProps(props)} className="my-2 list-disc pl-6 first:mt-0 last:mb-0" />,
  ol: (props) => <ol {...domProps(props)} className="my-2 list-decimal pl-6 first:mt-0 last:mb-0" />,
  li: (props) => <li {...domProps(props)} className="my-0.5" />,
  // Headings are scaled down: a reply's "# Summary" must not outshout the page's own title.
  h1: (props) => <h3 {...domProps(props)} className="mt-4 mb-2 text-base font-semibold first:mt-0" />,
  h2: (props) => <h4 {...domProps(props)} className="mt-4 mb-2 text-base font-semibold first:mt-0" />,
  h3: (props) => <h5 {...domProps(props)} className="mt-3 mb-1.5 font-semibold first:mt-0" />,
  h4: (props) => <h6 {...domProps(props)} className="mt-3 mb-1.5 font-semibold first:mt-0" />,
  h5: (props) => <h6 {...domProps(props)} className="mt-3 mb-1.5 font-semibold first:mt-0" />,
  h6: (props) => <h6 {...domProps(props)} className="mt-3 mb-1.5 font-semibold first:mt-0" />,
  blockquote: (props) => <blockquote {...domProps(props)} className="my-2 border-l-2 pl-3 text-muted-foreground" />,
  hr: () => <hr className="my-3" />,
  pre: (props) => (
    <pre
      {...domProps(props)}
      className="my-2 overflow-x-auto rounded-md border bg-muted px-3 py-2 font-mono text-xs leading-relaxed first:mt-0 last:mb-0 [&>code]:bg-transparent [&>code]:p-0"
    />
  ),
  // Inline code; inside <pre> the block's style wins. `language-*` (from ```ts) is kept.
  code: ({ className, ...props }) => <code {...domProps(props)} className={cn('rounded bg-muted px-1 py-0.5 font-mono text-[0.85em]', className)} />,
  table: (props) => (
    <div className="my-2 overflow-x-auto">
      <table {...domProps(props)} className="w-max border-collapse text-xs" />
    </div>
  ),
  th: (props) => <th {...domProps(props)} className="border px-2 py-1 text-left font-semibold" />,
  td: (props) => <td {...domProps(props)} className="border px-2 py-1 align-top" />,
};

/** Parsed again only when the text changes (while streaming: once per batch of tokens). */
const MarkdownBody = memo(function MarkdownBody({ text }: { text: string }) {
  return (
    <Markdown remarkPlugins={REMARK_PLUGINS} components={COMPONENTS} skipHtml>
      {text}
    </Markdown>
  );
});

export function MarkdownText({ text, streaming, className }: { text: string; streaming?: boolean; className?: string }) {
  return (
    <div className={cn('text-sm leading-relaxed break-words', className)} data-markdown="">
      <MarkdownBody text={text} />
      {streaming ? <StreamingCursor /> : null}
    </div>
  );
}
