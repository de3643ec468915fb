/** The `ambient` command tree. Commands only parse arguments and print; the client does the work. */
import { Command } from 'commander';
import { registerLoginCommand } from './commands/login.ts';
import { registerProjectCommands } from './commands/projects.ts';
import { registerSessionCommands } from './commands/sessions.ts';
import { registerStartCommand } from './commands/start.ts';
import type { CliContext } from './context.ts';

export const CLI_VERSION = '0.1.0';

export function buildProgram(context: CliContext): Command {
  const program = new Command('ambient')
    .description('Ambient Code Platform: run Claude Code agent sessions and watch them live')
    .version(CLI_VERSION)
    // Set before the subcommands are added so that they inherit both.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.output.out(text),
      writeErr: (text) => context.output.err(text),
    })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      '\nConnection: `ambient login` saves the URL and token; AMBIENT_URL and AMBIENT_TOKEN override them.\n' +
        'Exit codes: 0 success, 1 failure (or a failed run), 2 usage error, 130 interrupted.',
    );
  registerStartCommand(program, context);
  registerLoginCommand(program, context);
  registerProjectCommands(program, context);
  registerSessionCommands(program, context);
  return program;
}
