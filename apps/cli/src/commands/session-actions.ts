/** `ambient sessions watch|send|interrupt|stop|start|delete <project> <name>`. */
import type { Command } from 'commander';
import { parseSeq } from '../arguments.ts';
import type { CliContext } from '../context.ts';
import { EXIT_INTERRUPTED } from '../errors.ts';
import { Progress } from '../output.ts';
import { describePhase, exitCodeForPhase, isTerminal, watchSession } from '../watch.ts';

const STOP_POLL_INTERVAL_MS = 500;

export function registerSessionActionCommands(sessions: Command, context: CliContext): void {
  sessions
    .command('watch')
    .description(
      'follow events live: a non-interactive session until its run ends, an interactive one until it stops',
    )
    .argument('<project>')
    .argument('<name>')
    .option('--after <seq>', 'only events after this seq (resume where you left off)', parseSeq)
    .option('--json', 'one event per line, as JSON')
    .action(async (project: string, name: string, options: { after?: number; json?: boolean }) => {
      const session = await context.client().sessions.get(project, name);
      context.exitCode = await watchSession(context, {
        project,
        name,
        afterSeq: options.after,
        json: options.json ?? false,
        until: session.spec.interactive ? 'session' : 'run',
      });
    });

  sessions
    .command('send')
    .description('send a follow-up message to an interactive session')
    .argument('<project>')
    .argument('<name>')
    .argument('<message...>', 'the message (words are joined with spaces)')
    .option('--watch', "follow this message's run; exit 0 when it finishes, 1 when it fails")
    .option('--json', 'with --watch: one event per line, as JSON')
    .action(
      async (
        project: string,
        name: string,
        words: string[],
        options: { watch?: boolean; json?: boolean },
      ) => {
        const client = context.client();
        // Where the stream stands before the message, so --watch shows only what follows it.
        const afterSeq = options.watch ? await client.sessions.lastSeq(project, name) : 0;
        const accepted = await client.sessions.send(project, name, words.join(' '));
        if (!options.watch) {
          context.output.out(`message sent to ${name} (run ${accepted.runId})\n`);
          return;
        }
        context.exitCode = await watchSession(context, {
          project,
          name,
          json: options.json ?? false,
          until: 'run',
          afterSeq,
          fromMessageId: accepted.runId,
        });
      },
    );

  sessions
    .command('interrupt')
    .description('end the current turn; the session stays usable')
    .argument('<project>')
    .argument('<name>')
    .action(async (project: string, name: string) => {
      await context.client().sessions.interrupt(project, name);
      context.output.out(`interrupt requested for ${name}\n`);
    });

  sessions
    .command('stop')
    .description('stop a session (its workspace and history stay)')
    .argument('<project>')
    .argument('<name>')
    .option('--wait', 'wait until the session has stopped')
    .action(async (project: string, name: string, options: { wait?: boolean }) => {
      const response = await context.client().sessions.stop(project, name);
      if (!options.wait) {
        context.output.out(`stop requested for ${name} (phase ${response.phase})\n`);
        return;
      }
      context.exitCode = await waitUntilTerminal(context, project, name);
    });

  sessions
    .command('start')
    .description('start a stopped or finished session again')
    .argument('<project>')
    .argument('<name>')
    .action(async (project: string, name: string) => {
      const response = await context.client().sessions.start(project, name);
      context.output.out(`start requested for ${name} (phase ${response.phase})\n`);
    });

  sessions
    .command('delete')
    .description('delete a session with its runner, workspace and history')
    .argument('<project>')
    .argument('<name>')
    .action(async (project: string, name: string) => {
      await context.client().sessions.delete(project, name);
      context.output.out(`deleted session ${name}\n`);
    });
}

async function waitUntilTerminal(
  context: CliContext,
  project: string,
  name: string,
): Promise<number> {
  const client = context.client();
  const interrupt = context.interruptSignal();
  const progress = new Progress(context.output);
  for (;;) {
    const session = await client.sessions.get(project, name);
    if (isTerminal(session)) {
      progress.clear();
      context.output.out(`${describePhase(session)}\n`);
      return exitCodeForPhase(session);
    }
    progress.show(`stopping ${name}… (${session.status?.phase ?? 'Pending'})`);
    await new Promise((resolve) => setTimeout(resolve, STOP_POLL_INTERVAL_MS));
    if (interrupt.aborted) {
      progress.clear();
      return EXIT_INTERRUPTED;
    }
  }
}
