/**
 * Embedded SecretStore: values encrypted with AES-256-GCM under a key kept outside the database
 * (`$AMBIENT_DATA_DIR/secrets-key`), so a copied database file does not give the secrets away.
 * The project, secret name and key are bound as associated data: a value moved to another row
 * does not decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { isoNow, systemClock } from '@ambient/core';
import type { Clock, SecretEntry, SecretStore } from '@ambient/core';
import type { SqliteDatabase } from './database.ts';

const ALGORITHM = 'aes-256-gcm';

interface SecretRow {
  key: string;
  value: string;
  updated_at: string;
}

export class SqliteSecretStore implements SecretStore {
  private readonly clock: Clock;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly encryptionKey: Buffer,
    options: { clock?: Clock } = {},
  ) {
    if (encryptionKey.length !== 32) throw new Error('SqliteSecretStore needs a 32-byte key');
    this.clock = options.clock ?? systemClock;
  }

  async put(project: string, name: string, data: Record<string, string>): Promise<SecretEntry[]> {
    const now = isoNow(this.clock);
    const upsert = this.database.prepare(
      `INSERT INTO project_secrets (project, name, key, value, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (project, name, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    const remove = this.database.prepare('DELETE FROM project_secrets WHERE project = ? AND name = ? AND key = ?');
    this.database.transaction(() => {
      for (const [key, value] of Object.entries(data)) {
        if (value === '') remove.run(project, name, key);
        else upsert.run(project, name, key, this.encrypt(value, [project, name, key]), now);
      }
    })();
    return this.describe(project, name);
  }

  async describe(project: string, name: string): Promise<SecretEntry[]> {
    return this.rows(project, name).map((row) => ({ key: row.key, updatedAt: row.updated_at }));
  }

  async read(project: string, name: string): Promise<Record<string, string>> {
    const values: Record<string, string> = {};
    for (const row of this.rows(project, name)) values[row.key] = this.decrypt(row.value, [project, name, row.key]);
    return values;
  }

  async deleteProject(project: string): Promise<void> {
    this.database.prepare('DELETE FROM project_secrets WHERE project = ?').run(project);
  }

  private rows(project: string, name: string): SecretRow[] {
    return this.database
      .prepare('SELECT key, value, updated_at FROM project_secrets WHERE project = ? AND name = ? ORDER BY key')
      .all(project, name) as SecretRow[];
  }

  private encrypt(plaintext: string, context: string[]): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(context.join('\u0000')));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64')).join('.');
  }

  private decrypt(stored: string, context: string[]): string {
    const [iv, tag, ciphertext] = stored.split('.').map((part) => Buffer.from(part, 'base64'));
    if (!iv || !tag || !ciphertext) throw new Error('corrupt secret value');
    const decipher = createDecipheriv(ALGORITHM, this.encryptionKey, iv);
    decipher.setAAD(Buffer.from(context.join('\u0000')));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  }
}
