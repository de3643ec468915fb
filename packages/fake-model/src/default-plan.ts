/**
 * The default script: the prompt text itself says what the fake model does, so tests and the
 * offline demo need no configuration. Markers (one per line, anywhere in the line):
 *
 *   WRITE_FILE <path> <content…>   tool_use Write (relative paths resolved against the session cwd;
 *                                  `\n`, `\t` and `\\` in the content are unescaped)
 *   RUN_BASH <command…>            tool_use Bash
 *   SLOW_TEXT <n>                  the final answer is n words, streamed slowly (for interrupts)
 *   FAIL_529                       every request with this prompt fails with 529 overloaded
 *   FAIL_529_ONCE                  only the first request with this prompt fails with 529
 *   BROKEN_STREAM                  streaming requests break after message_start; the CLI's
 *                                  non-streaming fallback gets the normal reply
 *
 * Tool markers run in order, one tool call per turn; the number of tool results that already came
 * back tells which step is next. After the last step comes a final text and `end_turn`.
 */
import { isAbsolute, resolve } from 'node:path';
import { textReply, toolUseReply } from './assistant-message.ts';
import {
  hasTool,
  isTitleRequest,
  primaryWorkingDirectory,
  promptText,
  toolResultsSincePrompt,
  toolResultText,
} from './conversation.ts';
import type { ErrorReply, MessageReply, MessagesRequest, PlanFunction, Reply } from './types.ts';

export type Marker =
  | { kind: 'write-file'; path: string; content: string }
  | { kind: 'run-bash'; command: string }
  | { kind: 'slow-text'; wordCount: number }
  | { kind: 'fail-529' }
  | { kind: 'fail-529-once' }
  | { kind: 'broken-stream' };

type ToolMarker = Extract<Marker, { kind: 'write-file' | 'run-bash' }>;

export interface DefaultPlanOptions {
  /** Used for relative WRITE_FILE paths when the request does not announce a working directory. */
  cwd?: string;
  /** Pause between the words of a SLOW_TEXT answer (default 50 ms). */
  slowChunkDelayMs?: number;
  /** Final text after all tool steps succeeded (default "Done."). */
  finalText?: string;
}

export const DEFAULT_SLOW_WORD_COUNT = 50;
const DEFAULT_SLOW_CHUNK_DELAY_MS = 50;
const ECHO_PREFIX = 'Fake model reply to: ';
const ECHO_LENGTH = 80;

// FAIL_529_ONCE must be tried before FAIL_529; `\b` keeps FAIL_529 from matching inside it anyway.
const MARKER_PATTERN =
  /\b(WRITE_FILE|RUN_BASH|SLOW_TEXT|FAIL_529_ONCE|FAIL_529|BROKEN_STREAM)\b(.*)$/;

export function overloadedError(message = 'Overloaded (fake model)'): ErrorReply {
  return { kind: 'error', status: 529, errorType: 'overloaded_error', message };
}

/** `\n`, `\t` and `\\` let a one-line marker write multi-line files. */
export function unescapeContent(text: string): string {
  return text.replace(/\\([nt\\])/g, (_match, code: string) =>
    code === 'n' ? '\n' : code === 't' ? '\t' : '\\',
  );
}

/** The markers in prompt order; a marker with missing arguments is ignored (it is just text). */
export function parseMarkers(prompt: string): Marker[] {
  const markers: Marker[] = [];
  for (const line of prompt.split(/\r?\n/)) {
    const match = MARKER_PATTERN.exec(line);
    if (!match) continue;
    const [, name, rest = ''] = match;
    const argumentText = rest.trim();
    if (name === 'WRITE_FILE') {
      const pathMatch = /^(\S+)\s?(.*)$/.exec(argumentText);
      if (pathMatch?.[1]) {
        markers.push({
          kind: 'write-file',
          path: pathMatch[1],
          content: unescapeContent(pathMatch[2] ?? ''),
        });
      }
    } else if (name === 'RUN_BASH') {
      if (argumentText) markers.push({ kind: 'run-bash', command: argumentText });
    } else if (name === 'SLOW_TEXT') {
      const wordCount = Number.parseInt(argumentText, 10);
      markers.push({
        kind: 'slow-text',
        wordCount: wordCount > 0 ? wordCount : DEFAULT_SLOW_WORD_COUNT,
      });
    } else if (name === 'FAIL_529') {
      markers.push({ kind: 'fail-529' });
    } else if (name === 'FAIL_529_ONCE') {
      markers.push({ kind: 'fail-529-once' });
    } else if (name === 'BROKEN_STREAM') {
      markers.push({ kind: 'broken-stream' });
    }
  }
  return markers;
}

/** The Write tool rejects relative paths, so they are anchored at the session's directory. */
export function resolveFilePath(
  request: MessagesRequest,
  path: string,
  fallbackCwd?: string,
): string {
  if (isAbsolute(path)) return path;
  const base = primaryWorkingDirectory(request) ?? fallbackCwd;
  return base ? resolve(base, path) : path;
}

export function slowText(wordCount: number): string {
  return Array.from({ length: wordCount }, (_unused, index) => `word${index + 1}`).join(' ');
}

export function echoText(prompt: string): string {
  return ECHO_PREFIX + prompt.replace(/\s+/g, ' ').trim().slice(0, ECHO_LENGTH);
}

/**
 * Title requests ask for JSON matching `{title: string}`. Claude Code wraps the conversation in
 * `<session>…</session>` followed by instructions, so the title is taken from inside the tag.
 */
export function titleReply(prompt: string): MessageReply {
  const session = /<session>([\s\S]*?)<\/session>/.exec(prompt)?.[1] ?? prompt;
  const words = session.replace(/\s+/g, ' ').trim().split(' ').slice(0, 6).join(' ');
  return textReply(JSON.stringify({ title: words.slice(0, 60) || 'Offline demo session' }));
}

function toolStepReply(
  request: MessagesRequest,
  step: ToolMarker,
  options: DefaultPlanOptions,
): MessageReply {
  const toolName = step.kind === 'write-file' ? 'Write' : 'Bash';
  if (!hasTool(request, toolName)) {
    return textReply(
      `The ${toolName} tool is not available in this session, so I cannot run this step.`,
    );
  }
  if (step.kind === 'write-file') {
    const filePath = resolveFilePath(request, step.path, options.cwd);
    return toolUseReply('Write', { file_path: filePath, content: step.content });
  }
  return toolUseReply('Bash', {
    command: step.command,
    description: `Run ${step.command}`.slice(0, 80),
  });
}

/** What the conversation needs next, ignoring failure markers. */
export function nextStepReply(request: MessagesRequest, options: DefaultPlanOptions = {}): Reply {
  const prompt = promptText(request);
  const markers = parseMarkers(prompt);
  const steps = markers.filter(
    (marker): marker is ToolMarker => marker.kind === 'write-file' || marker.kind === 'run-bash',
  );
  const results = toolResultsSincePrompt(request);
  const step = steps[results.length];
  if (step) return toolStepReply(request, step, options);

  const slow = markers.find((marker) => marker.kind === 'slow-text');
  if (slow) {
    return {
      kind: 'slow-text',
      text: slowText(slow.wordCount),
      chunkDelayMs: options.slowChunkDelayMs ?? DEFAULT_SLOW_CHUNK_DELAY_MS,
    };
  }
  if (results.length === 0) return textReply(echoText(prompt));
  const failed = results.filter((result) => result.is_error === true);
  if (failed.length === 0) return textReply(options.finalText ?? 'Done.');
  const firstError = toolResultText(failed[0]!).slice(0, 200);
  return textReply(`Finished, but ${failed.length} step(s) failed: ${firstError}`);
}

/** True when an earlier (non-title) request carried the same prompt: the CLI is retrying or looping. */
function promptSeenBefore(prompt: string, previousRequests: readonly MessagesRequest[]): boolean {
  return previousRequests.some(
    (earlier) => !isTitleRequest(earlier) && promptText(earlier) === prompt,
  );
}

/**
 * A plan with the marker rules above. Stateless apart from the options: "fail once" is decided
 * from `context.previousRequests`, so one plan can serve any number of sessions.
 */
export function createDefaultPlan(options: DefaultPlanOptions = {}): PlanFunction {
  return (request, context) => {
    const prompt = promptText(request);
    if (isTitleRequest(request)) return titleReply(prompt);
    const markers = parseMarkers(prompt);
    const has = (kind: Marker['kind']) => markers.some((marker) => marker.kind === kind);
    if (has('fail-529')) return overloadedError();
    if (has('fail-529-once') && !promptSeenBefore(prompt, context.previousRequests)) {
      return overloadedError('Overloaded once (fake model)');
    }
    const reply = nextStepReply(request, options);
    if (has('broken-stream') && reply.kind === 'message')
      return { kind: 'broken-stream', fallback: reply };
    return reply;
  };
}

/** A ready-made default plan (no cwd fallback, default delays). */
export const defaultPlan: PlanFunction = createDefaultPlan();
