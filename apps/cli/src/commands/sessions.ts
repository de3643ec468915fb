/** `ambient sessions list|create|get`, and the registration of the other session commands. */
import type { Command } from 'commander';
import type { CreateSessionInput } from '@ambient/client';
import type { SessionRepo } from '@ambient/contracts';
import { collectRepo, parseSeconds } from '../arguments.ts';
import type { CliContext } from '../context.ts';
import { formatSessionDetails } from '../format/session-details.ts';
import { formatSessionTable } from '../format/table.ts';
import { watchSession } from '../watch.ts';
import { registerSessionActionCommands } from './session-actions.ts';

interface CreateOptions {
  prompt?: string;
  interactive?: boolean;
  model?: string;
  timeout?: number;
  repo?: Pick<SessionRepo, 'url' | 'branch'>[];
  displayName?: string;
  watch?: boolean;
  json?: boolean;
}

export function registerSessionCommands(program: Command, context: CliContext): void {
  const sessions = program
    .command('sessions')
    .description('create, watch and control agent sessions');

  sessions
    .command('list')
    .description("a project's sessions, newest first")
    .argument('<project>')
    .option('--json', 'print the sessions as JSON')
    .action(async (project: string, options: { json?: boolean }) => {
      const items = await context.client().sessions.list(project);
      if (options.json) context.output.out(`${JSON.stringify(items, null, 2)}\n`);
      else if (items.length === 0) context.output.err(`no sessions in project ${project} yet\n`);
      else context.output.out(formatSessionTable(items, context.now()));
    });

  sessions
    .command('create')
    .description('start a session; prints its name (or, with --watch, its events)')
    .argument('<project>')
    .option('--prompt <text>', 'the first message (required with --no-interactive)')
    .option('--interactive', 'keep the session for follow-up messages (the server default)')
    .option('--no-interactive', 'end the session after the prompt has run')
    .option('--model <model>', 'model for the agent')
    .option('--timeout <seconds>', 'limit of a run, in seconds', parseSeconds)
    .option(
      '--repo <url[@branch]>',
      'clone this git repository into the workspace (repeatable)',
      collectRepo,
    )
    .option('--display-name <text>', 'a human-friendly name')
    .option('--watch', 'follow the first run live; exit 0 when it finishes, 1 when it fails')
    .option('--json', 'print JSON (with --watch: one event per line)')
    .action(async (project: string, options: CreateOptions) => {
      await createSession(context, project, options);
    });

  sessions
    .command('get')
    .description('one session: phase, result, conditions')
    .argument('<project>')
    .argument('<name>')
    .option('--json', 'print the whole object as JSON')
    .action(async (project: string, name: string, options: { json?: boolean }) => {
      const session = await context.client().sessions.get(project, name);
      if (options.json) context.output.out(`${JSON.stringify(session, null, 2)}\n`);
      else context.output.out(formatSessionDetails(session, context.now()));
    });

  registerSessionActionCommands(sessions, context);
}

async function createSession(
  context: CliContext,
  project: string,
  options: CreateOptions,
): Promise<void> {
  const body: CreateSessionInput = {
    prompt: options.prompt,
    interactive: options.interactive,
    displayName: options.displayName,
    llmSettings: options.model ? { model: options.model } : undefined,
    timeout: options.timeout,
    repos: options.repo && options.repo.length > 0 ? options.repo : undefined,
  };
  const created = await context.client().sessions.create(project, body);
  if (!options.watch) {
    context.output.out(options.json ? `${JSON.stringify(created)}\n` : `${created.name}\n`);
    return;
  }
  context.output.err(`created session ${created.name}\n`);
  // With a prompt the first run is the one to follow; an interactive session without one has no
  // run until a message arrives, so follow the whole session instead.
  const interactive = options.interactive ?? true;
  context.exitCode = await watchSession(context, {
    project,
    name: created.name,
    json: options.json ?? false,
    until: options.prompt || !interactive ? 'run' : 'session',
  });
}
