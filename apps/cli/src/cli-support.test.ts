import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommanderError, InvalidArgumentError } from 'commander';
import { ClientError, ConnectionError } from '@ambient/client';
import { parseInteger, parseRepo } from './arguments.ts';
import { configFilePath, readConfigFile, resolveConnection, writeConfigFile } from './config.ts';
import { describeError, exitCodeFor, UsageError } from './errors.ts';

describe('option values', () => {
  it('parses url[@branch] without mistaking the user part of a URL for a branch', () => {
    expect(parseRepo('https://github.com/org/repo')).toEqual({
      url: 'https://github.com/org/repo',
    });
    expect(parseRepo('https://github.com/org/repo@main')).toEqual({
      url: 'https://github.com/org/repo',
      branch: 'main',
    });
    expect(parseRepo('git@github.com:org/repo.git')).toEqual({
      url: 'git@github.com:org/repo.git',
    });
    expect(parseRepo('git@github.com:org/repo.git@feature/x')).toEqual({
      url: 'git@github.com:org/repo.git',
      branch: 'feature/x',
    });
    expect(parseRepo('https://user@host/repo')).toEqual({ url: 'https://user@host/repo' });
    expect(parseRepo('ssh://git@host/repo@main')).toEqual({
      url: 'ssh://git@host/repo',
      branch: 'main',
    });
    expect(() => parseRepo('https://host/repo@')).toThrow(InvalidArgumentError);
  });

  it('rejects values that are not whole numbers in range', () => {
    expect(parseInteger('42', 0)).toBe(42);
    expect(() => parseInteger('4.5', 0)).toThrow(InvalidArgumentError);
    expect(() => parseInteger('-1', 0)).toThrow(InvalidArgumentError);
    expect(() => parseInteger('0', 1)).toThrow(/from 1/);
  });
});

describe('config', () => {
  let directory: string;
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('saves the file with mode 0600, and the environment wins over it', () => {
    directory = mkdtempSync(join(tmpdir(), 'ambient-cli-config-'));
    const environment = { AMBIENT_CONFIG_DIR: join(directory, 'nested') };
    const path = configFilePath(environment);
    writeConfigFile(path, { url: 'http://saved:8080', token: 'saved-token-0123456789' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readConfigFile(path)).toEqual({
      url: 'http://saved:8080',
      token: 'saved-token-0123456789',
    });
    expect(resolveConnection(environment)).toEqual({
      url: 'http://saved:8080',
      token: 'saved-token-0123456789',
    });
    expect(resolveConnection({ ...environment, AMBIENT_TOKEN: 'env-token-0123456789' })).toEqual({
      url: 'http://saved:8080',
      token: 'env-token-0123456789',
    });
  });

  it('explains how to log in when nothing is configured, and rejects a broken file', () => {
    directory = mkdtempSync(join(tmpdir(), 'ambient-cli-config-'));
    expect(() => resolveConnection({ AMBIENT_CONFIG_DIR: directory })).toThrow(/ambient login/);
    writeFileSync(join(directory, 'config.json'), '{not json');
    expect(() => readConfigFile(join(directory, 'config.json'))).toThrow(/not valid JSON/);
  });
});

describe('errors', () => {
  it('puts validation issues into the one error line', () => {
    const error = new ClientError(400, 'bad_request', 'the request is invalid', [
      { path: 'initialPrompt', message: 'required when interactive is false' },
    ]);
    expect(describeError(error)).toBe(
      'the request is invalid (initialPrompt: required when interactive is false)',
    );
    expect(exitCodeFor(error)).toBe(1);
  });

  it('hints at login for 401 and at start for an unreachable server', () => {
    expect(
      describeError(new ClientError(401, 'unauthorized', 'invalid or expired bearer token')),
    ).toBe('invalid or expired bearer token; run `ambient login` again');
    const unreachable = new ConnectionError(
      'http://127.0.0.1:1/api/projects',
      new Error('connect ECONNREFUSED'),
    );
    expect(describeError(unreachable)).toMatch(
      /^cannot reach http:\/\/127.0.0.1:1\/api\/projects: connect ECONNREFUSED/,
    );
  });

  it('maps usage mistakes to 2, help to 0, failures to 1', () => {
    expect(exitCodeFor(new UsageError('give a URL'))).toBe(2);
    expect(exitCodeFor(new CommanderError(1, 'commander.missingArgument', 'missing'))).toBe(2);
    expect(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toBe(0);
    expect(exitCodeFor(new Error('boom'))).toBe(1);
  });
});
