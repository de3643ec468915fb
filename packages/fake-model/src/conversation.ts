/**
 * Reading a Messages API request the way Claude Code shapes it.
 *
 * Claude Code does not send a textbook conversation: `role:"system"` entries sit between user
 * turns (and may be the last entry), the prompt message starts with `<system-reminder>` blocks,
 * and tool results come back as user messages. These helpers hide those details from plans.
 */
import type {
  MessagesRequest,
  RequestContentBlock,
  RequestMessage,
  TextBlock,
  ToolResultBlock,
} from './types.ts';

const SYSTEM_REMINDER_PREFIX = '<system-reminder>';

/** A message's content as blocks: the API allows a bare string as shorthand for one text block. */
export function contentBlocks(message: RequestMessage): RequestContentBlock[] {
  if (typeof message.content === 'string') return [{ type: 'text', text: message.content }];
  return Array.isArray(message.content) ? message.content : [];
}

export function isTextBlock(block: RequestContentBlock): block is TextBlock {
  return block.type === 'text' && typeof (block as TextBlock).text === 'string';
}

export function isToolResultBlock(block: RequestContentBlock): block is ToolResultBlock {
  return block.type === 'tool_result';
}

export function textBlocks(message: RequestMessage): string[] {
  return contentBlocks(message)
    .filter(isTextBlock)
    .map((block) => block.text);
}

export function lastUserMessage(request: MessagesRequest): RequestMessage | undefined {
  return request.messages.findLast((message) => message.role === 'user');
}

export function holdsToolResult(message: RequestMessage): boolean {
  return contentBlocks(message).some(isToolResultBlock);
}

/**
 * Index of the message that holds the human's current prompt: the last user message that is not a
 * tool-result turn. Everything after it is the agent loop working on that prompt.
 */
export function promptMessageIndex(request: MessagesRequest): number {
  return request.messages.findLastIndex(
    (message) =>
      message.role === 'user' && !holdsToolResult(message) && textBlocks(message).length > 0,
  );
}

/**
 * The prompt text: the last text block of the prompt message, skipping `<system-reminder>` blocks
 * Claude Code adds around it (it puts one first; later versions may append more).
 */
export function promptText(request: MessagesRequest): string {
  const index = promptMessageIndex(request);
  const message = request.messages[index];
  if (!message) return '';
  const texts = textBlocks(message);
  const humanTexts = texts.filter((text) => !text.trimStart().startsWith(SYSTEM_REMINDER_PREFIX));
  return humanTexts.at(-1) ?? texts.at(-1) ?? '';
}

/** Tool results that came back after the current prompt, oldest first. */
export function toolResultsSincePrompt(request: MessagesRequest): ToolResultBlock[] {
  const start = promptMessageIndex(request);
  return request.messages
    .slice(start + 1)
    .filter((message) => message.role === 'user')
    .flatMap((message) => contentBlocks(message).filter(isToolResultBlock));
}

/** A tool result's text, whether sent as a string or as text blocks. */
export function toolResultText(result: ToolResultBlock): string {
  if (typeof result.content === 'string') return result.content;
  if (!Array.isArray(result.content)) return '';
  return result.content.map((block) => block.text ?? '').join('');
}

/** All text Claude Code might have put environment facts in: system prompt and system messages. */
function systemTexts(request: MessagesRequest): string[] {
  const fromSystemPrompt =
    typeof request.system === 'string'
      ? [request.system]
      : (request.system ?? []).map((block) => block.text ?? '');
  const fromMessages = request.messages
    .filter((message) => message.role === 'system' || message.role === 'user')
    .flatMap(textBlocks);
  return [...fromSystemPrompt, ...fromMessages];
}

/**
 * The session's working directory as Claude Code announces it (`Primary working directory: /x`,
 * older versions: `Working directory: /x`). Needed because the Write tool insists on absolute paths.
 */
export function primaryWorkingDirectory(request: MessagesRequest): string | undefined {
  for (const pattern of [
    /Primary working directory:\s*(\S.*)$/m,
    /^\s*Working directory:\s*(\S.*)$/m,
  ]) {
    for (const text of systemTexts(request)) {
      const match = pattern.exec(text);
      if (match?.[1]) return match[1].trim();
    }
  }
  return undefined;
}

export function hasTool(request: MessagesRequest, name: string): boolean {
  return (request.tools ?? []).some((tool) => tool.name === name);
}

/** Title generation (sent unless nonessential traffic is disabled) asks for structured output. */
export function isTitleRequest(request: MessagesRequest): boolean {
  return request.output_config?.format !== undefined && request.output_config.format !== null;
}
