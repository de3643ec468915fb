/**
 * `ambient login`: checks the URL and token with a real request, then saves them for later
 * commands. The token is never printed.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createClient } from '@ambient/client';
import { configFilePath, writeConfigFile } from '../config.ts';
import type { CliContext } from '../context.ts';
import { UsageError } from '../errors.ts';

interface LoginOptions {
  url?: string;
  token?: string;
}

export function registerLoginCommand(program: Command, context: CliContext): void {
  program
    .command('login')
    .description('check a platform URL and token, and save them for the other commands')
    .option('--url <url>', 'the platform, e.g. http://127.0.0.1:8080 (default: $AMBIENT_URL)')
    .option('--token <token>', 'bearer token; "-" reads it from stdin (default: $AMBIENT_TOKEN)')
    .action(async (options: LoginOptions) => {
      await login(context, options);
    });
}

async function login(context: CliContext, options: LoginOptions): Promise<void> {
  const { environment, output } = context;
  const url = options.url ?? environment['AMBIENT_URL'];
  // Reading from stdin keeps the token out of shell history and the process list.
  const token =
    options.token === '-'
      ? readFileSync(0, 'utf8').trim()
      : (options.token ?? environment['AMBIENT_TOKEN']);
  if (!url) throw new UsageError('give the platform URL with --url <url>');
  if (!token)
    throw new UsageError('give a token with --token <token> (or --token - to read it from stdin)');
  try {
    new URL(url);
  } catch {
    throw new UsageError(`"${url}" is not a URL (expected e.g. http://127.0.0.1:8080)`);
  }

  const client = createClient({ baseUrl: url, token });
  const projects = await client.projects.list();
  const path = configFilePath(environment);
  writeConfigFile(path, { url: client.baseUrl, token });
  const count = `${projects.length} ${projects.length === 1 ? 'project' : 'projects'} visible`;
  output.out(`logged in to ${client.baseUrl} (${count}); saved to ${path}\n`);
  // Later commands would silently use the environment instead of what was just saved.
  for (const variable of ['AMBIENT_URL', 'AMBIENT_TOKEN']) {
    if (environment[variable])
      output.err(`note: ${variable} is set and takes precedence over the saved config\n`);
  }
}
