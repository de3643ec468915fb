'use client';
/** One tool call, collapsed to a line (name, what it acts on, state); expands to its arguments and result. */
import { CheckCircle2Icon, ChevronRightIcon, Loader2Icon, WrenchIcon, XCircleIcon } from 'lucide-react';
import { memo, useState } from 'react';
import { Collapsible, CollapsibleContent, CollapsibleTrigger } from '../../components/ui/collapsible';
import type { SubagentView, ToolCallView, ToolResultMessage } from './chat-types';

/** Long outputs (a whole file, a build log) are cut in the view until asked for. */
const RESULT_PREVIEW_CHARS = 4_000;

function parseArguments(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // still streaming, or not JSON
  }
}

/** The argument that says what a call acts on, for the collapsed line. */
export function toolCallSummary(call: ToolCallView): string {
  const args = parseArguments(call.arguments);
  if (!args) return '';
  for (const key of ['file_path', 'path', 'command', 'pattern', 'url', 'description', 'prompt']) {
    const value = args[key];
    if (typeof value === 'string' && value) return value.length > 120 ? `${value.slice(0, 117)}…` : value;
  }
  return '';
}

function prettyArguments(text: string): string {
  const args = parseArguments(text);
  return args ? JSON.stringify(args, null, 2) : text;
}

interface ToolCallCardProps {
  call: ToolCallView;
  result: ToolResultMessage | undefined;
  subagent: SubagentView | undefined;
  /** False once the run ended: a call without a result then was cut short, not still running. */
  runActive: boolean;
}

export const ToolCallCard = memo(function ToolCallCard({ call, result, subagent, runActive }: ToolCallCardProps) {
  const [showAll, setShowAll] = useState(false);
  const summary = toolCallSummary(call);
  const state = result ? (result.isError ? 'failed' : 'done') : runActive ? 'running' : 'no result';
  const StateIcon = state === 'done' ? CheckCircle2Icon : state === 'failed' ? XCircleIcon : state === 'running' ? Loader2Icon : WrenchIcon;
  const resultText = result?.content ?? '';
  const shownResult = showAll ? resultText : resultText.slice(0, RESULT_PREVIEW_CHARS);

  return (
    <Collapsible className="rounded-md border bg-muted/30" data-tool-call={call.name}>
      <CollapsibleTrigger className="group flex w-full items-center gap-2 px-3 py-2 text-left text-sm outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
        <ChevronRightIcon className="size-4 shrink-0 transition-transform group-data-[state=open]:rotate-90" aria-hidden="true" />
        <StateIcon
          className={
            state === 'failed' ? 'size-4 shrink-0 text-destructive' : state === 'running' ? 'size-4 shrink-0 animate-spin' : 'size-4 shrink-0 text-emerald-600 dark:text-emerald-400'
          }
          aria-hidden="true"
        />
        <span className="font-mono font-medium">{call.name || 'tool'}</span>
        {summary ? <span className="min-w-0 truncate font-mono text-xs text-muted-foreground">{summary}</span> : null}
        <span className="sr-only">, {state}</span>
        {subagent ? (
          <span className="ml-auto shrink-0 rounded bg-secondary px-1.5 py-0.5 text-xs">
            sub-agent {subagent.name} · {subagent.status}
          </span>
        ) : null}
      </CollapsibleTrigger>
      <CollapsibleContent className="grid gap-2 border-t px-3 py-2">
        <div>
          <p className="mb-1 text-xs font-medium text-muted-foreground">Arguments</p>
          <pre className="max-h-80 overflow-auto rounded bg-background p-2 font-mono text-xs whitespace-pre-wrap">{prettyArguments(call.arguments) || '(none)'}</pre>
        </div>
        <div>
          <p className="mb-1 text-xs font-medium text-muted-foreground">{result?.isError ? 'Error' : 'Result'}</p>
          {result ? (
            <pre className={`max-h-96 overflow-auto rounded bg-background p-2 font-mono text-xs whitespace-pre-wrap ${result.isError ? 'text-destructive' : ''}`}>
              {shownResult || '(empty)'}
            </pre>
          ) : (
            <p className="text-xs text-muted-foreground">{runActive ? 'Waiting for the result…' : 'No result (the run ended first).'}</p>
          )}
          {resultText.length > RESULT_PREVIEW_CHARS && !showAll ? (
            <button type="button" className="mt-1 text-xs underline" onClick={() => setShowAll(true)}>
              Show all {resultText.length.toLocaleString()} characters
            </button>
          ) : null}
        </div>
      </CollapsibleContent>
    </Collapsible>
  );
});
