/**
 * Where the CLI finds the platform and its token: `AMBIENT_URL` / `AMBIENT_TOKEN` from the
 * environment win (CI, scripts), then the file `ambient login` writes. The file holds a secret, so it
 * is written with mode 0600 in a 0700 directory, atomically (a crash never leaves half a file).
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const storedConfigSchema = z.object({
  url: z.string().optional(),
  token: z.string().optional(),
});
export type StoredConfig = z.infer<typeof storedConfigSchema>;

export interface Connection {
  url: string;
  token: string;
}

export function configFilePath(environment: NodeJS.ProcessEnv): string {
  const directory = environment['AMBIENT_CONFIG_DIR'] || join(homedir(), '.config', 'ambient');
  return join(directory, 'config.json');
}

export function readConfigFile(path: string): StoredConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`the config file ${path} is not valid JSON; run \`ambient login\` again`);
  }
  const parsed = storedConfigSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`the config file ${path} has an unexpected shape; run \`ambient login\` again`);
  return parsed.data;
}

export function writeConfigFile(path: string, config: StoredConfig): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporaryPath = `${path}.${process.pid}.tmp`;
  writeFileSync(temporaryPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // `mode` only applies to new files; an older file may have been created more permissive.
  chmodSync(temporaryPath, 0o600);
  renameSync(temporaryPath, path);
}

/** The connection every command but `start` and `login` needs; a clear hint when there is none. */
export function resolveConnection(environment: NodeJS.ProcessEnv): Connection {
  const path = configFilePath(environment);
  const stored = readConfigFile(path);
  const url = environment['AMBIENT_URL'] || stored.url;
  const token = environment['AMBIENT_TOKEN'] || stored.token;
  if (!url || !token) {
    throw new Error(
      'not logged in: run `ambient login --url <url> --token <token>` or set AMBIENT_URL and AMBIENT_TOKEN',
    );
  }
  return { url, token };
}
