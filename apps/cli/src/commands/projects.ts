/** `ambient projects list|create`. */
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { formatProjectTable } from '../format/table.ts';

export function registerProjectCommands(program: Command, context: CliContext): void {
  const projects = program.command('projects').description('list and create projects');

  projects
    .command('list')
    .description('projects you can see')
    .option('--json', 'print the projects as JSON')
    .action(async (options: { json?: boolean }) => {
      const items = await context.client().projects.list();
      if (options.json) context.output.out(`${JSON.stringify(items, null, 2)}\n`);
      else if (items.length === 0)
        context.output.err('no projects yet: `ambient projects create <name>`\n');
      else context.output.out(formatProjectTable(items, context.now()));
    });

  projects
    .command('create')
    .description('create a project')
    .argument('<name>', 'lowercase letters, digits and "-"')
    .option('--display-name <text>', 'a human-friendly name')
    .option('--description <text>', 'what the project is for')
    .action(async (name: string, options: { displayName?: string; description?: string }) => {
      const project = await context.client().projects.create({
        name,
        displayName: options.displayName,
        description: options.description,
      });
      context.output.out(`created project ${project.name}\n`);
    });
}
