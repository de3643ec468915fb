'use client';
/**
 * The message box for follow-ups (POST agui/run) with Interrupt while the agent works. Enter sends,
 * Shift+Enter starts a new line. The sent text appears in the chat when the runner echoes it as an
 * event, so it is shown exactly once, in the order the agent saw it.
 */
import { CircleStopIcon, SendIcon } from 'lucide-react';
import { useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { Button } from '../../components/ui/button';
import { Textarea } from '../../components/ui/textarea';
import { describeError } from '../../lib/errors';
import { useInterruptSession, useSendMessage } from '../sessions/use-sessions';

export interface ComposerProps {
  project: string;
  name: string;
  /** Why the box is closed (not interactive, finished…); undefined when messages can be sent. */
  disabledReason?: string;
  runActive: boolean;
}

export function Composer({ project, name, disabledReason, runActive }: ComposerProps) {
  const [text, setText] = useState('');
  const send = useSendMessage(project, name);
  const interrupt = useInterruptSession(project, name);
  const canSend = !disabledReason && text.trim().length > 0 && !send.isPending;

  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    if (!canSend) return;
    send.mutate(text.trim(), { onSuccess: () => setText('') });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  const error = send.error ?? interrupt.error;
  return (
    <form onSubmit={submit} className="grid gap-2 border-t pt-3" aria-label="Send a message">
      <label htmlFor="chat-message" className="sr-only">
        Message to the agent
      </label>
      <Textarea
        id="chat-message"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        placeholder={disabledReason ?? 'Message the agent (Enter to send, Shift+Enter for a new line)'}
        disabled={disabledReason !== undefined}
        rows={2}
        className="max-h-48 resize-y"
      />
      <div className="flex items-center justify-between gap-2">
        <p role="status" className="min-h-5 text-sm text-destructive">
          {error ? describeError(error) : ''}
        </p>
        <div className="flex gap-2">
          {runActive ? (
            <Button type="button" variant="outline" onClick={() => interrupt.mutate()} disabled={interrupt.isPending}>
              <CircleStopIcon aria-hidden="true" />
              {interrupt.isPending ? 'Interrupting…' : 'Interrupt'}
            </Button>
          ) : null}
          <Button type="submit" disabled={!canSend}>
            <SendIcon aria-hidden="true" />
            {send.isPending ? 'Sending…' : 'Send'}
          </Button>
        </div>
      </div>
    </form>
  );
}
