import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { SqliteSecretStore } from './sqlite-secret-store.ts';

describe('SqliteSecretStore', () => {
  it('stores values encrypted, shows only keys, and removes keys set to empty', async () => {
    const database = openDatabase(':memory:');
    const store = new SqliteSecretStore(database, randomBytes(32));
    await store.put('p1', 'runner', { ANTHROPIC_API_KEY: 'sk-ant-secret-value', OTHER: 'x' });
    expect((await store.describe('p1', 'runner')).map((entry) => entry.key)).toEqual(['ANTHROPIC_API_KEY', 'OTHER']);
    expect(await store.read('p1', 'runner')).toEqual({ ANTHROPIC_API_KEY: 'sk-ant-secret-value', OTHER: 'x' });
    const raw = JSON.stringify(database.prepare('SELECT * FROM project_secrets').all());
    expect(raw).not.toContain('sk-ant-secret-value');
    await store.put('p1', 'runner', { OTHER: '' });
    expect(await store.read('p1', 'runner')).toEqual({ ANTHROPIC_API_KEY: 'sk-ant-secret-value' });
    expect(await store.read('p2', 'runner')).toEqual({});
    database.close();
  });

  it('refuses to decrypt with another key or a value moved to another row', async () => {
    const database = openDatabase(':memory:');
    await new SqliteSecretStore(database, randomBytes(32)).put('p1', 'runner', { KEY: 'value' });
    await expect(new SqliteSecretStore(database, randomBytes(32)).read('p1', 'runner')).rejects.toThrow();
    const key = randomBytes(32);
    const store = new SqliteSecretStore(database, key);
    await store.put('p1', 'runner', { KEY: 'value' });
    database.prepare("UPDATE project_secrets SET project = 'p2'").run();
    await expect(store.read('p2', 'runner')).rejects.toThrow();
    database.close();
  });
});
