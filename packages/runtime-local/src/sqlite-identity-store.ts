/**
 * Embedded IdentityStore: users (scrypt password hashes) and bearer tokens (SHA-256 hashes only;
 * the secret is shown once at creation). Tokens carry a recognisable prefix so leaked ones can be
 * found by secret scanners and redacted by the logger.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ConflictError, isoNow, systemClock } from '@ambient/core';
import type { Clock, IdentityStore, IssuedToken, TokenRecord, TokenSubject, UserRecord } from '@ambient/core';
import type { ProjectRole } from '@ambient/contracts';
import type { SqliteDatabase } from './database.ts';
import { hashPassword, verifyPassword } from './password.ts';

export const TOKEN_PREFIX = 'acp_';
/** Writing last_used_at on every request would turn reads into writes; once a minute is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

interface UserRow {
  name: string;
  display_name: string | null;
  groups: string;
  is_admin: number;
  password_hash: string | null;
  created_at: string;
}

interface TokenRow {
  id: string;
  name: string;
  description: string | null;
  subject_kind: 'user' | 'access_key';
  user_name: string | null;
  project: string | null;
  role: string | null;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toUser(row: UserRow): UserRecord {
  return {
    name: row.name,
    displayName: row.display_name ?? undefined,
    groups: JSON.parse(row.groups) as string[],
    isAdmin: row.is_admin === 1,
    createdAt: row.created_at,
  };
}

function toToken(row: TokenRow): TokenRecord {
  const subject: TokenSubject =
    row.subject_kind === 'user'
      ? { kind: 'user', userName: row.user_name ?? '' }
      : { kind: 'access_key', project: row.project ?? '', role: (row.role ?? 'view') as ProjectRole };
  return {
    id: row.id,
    name: row.name,
    description: row.description ?? undefined,
    subject,
    createdAt: row.created_at,
    createdBy: row.created_by ?? undefined,
    lastUsedAt: row.last_used_at ?? undefined,
    expiresAt: row.expires_at ?? undefined,
  };
}

export class SqliteIdentityStore implements IdentityStore {
  private readonly clock: Clock;

  constructor(private readonly database: SqliteDatabase, options: { clock?: Clock } = {}) {
    this.clock = options.clock ?? systemClock;
  }

  async createUser(input: { name: string; displayName?: string; groups?: string[]; password?: string; isAdmin?: boolean }): Promise<UserRecord> {
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    try {
      this.database
        .prepare('INSERT INTO users (name, display_name, groups, is_admin, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(input.name, input.displayName ?? null, JSON.stringify(input.groups ?? []), input.isAdmin ? 1 : 0, passwordHash, isoNow(this.clock));
    } catch (error) {
      if (String(error).includes('UNIQUE')) throw new ConflictError(`user "${input.name}" already exists`);
      throw error;
    }
    return (await this.getUser(input.name))!;
  }

  async getUser(name: string): Promise<UserRecord | undefined> {
    const row = this.database.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    return row ? toUser(row) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (this.database.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(toUser);
  }

  async verifyPassword(name: string, password: string): Promise<UserRecord | undefined> {
    const row = this.database.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    const matches = await verifyPassword(password, row?.password_hash ?? undefined);
    return matches && row ? toUser(row) : undefined;
  }

  async issueToken(input: { subject: TokenSubject; name: string; description?: string; createdBy?: string; expiresAt?: string }): Promise<IssuedToken> {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const id = randomUUID();
    const { subject } = input;
    this.database
      .prepare(
        `INSERT INTO api_tokens (id, token_hash, name, description, subject_kind, user_name, project, role, created_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        hashToken(token),
        input.name,
        input.description ?? null,
        subject.kind,
        subject.kind === 'user' ? subject.userName : null,
        subject.kind === 'access_key' ? subject.project : null,
        subject.kind === 'access_key' ? subject.role : null,
        input.createdBy ?? null,
        isoNow(this.clock),
        input.expiresAt ?? null,
      );
    const row = this.database.prepare('SELECT * FROM api_tokens WHERE id = ?').get(id) as TokenRow;
    return { token, record: toToken(row) };
  }

  async resolveToken(token: string): Promise<TokenRecord | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const row = this.database.prepare('SELECT * FROM api_tokens WHERE token_hash = ?').get(hashToken(token)) as TokenRow | undefined;
    if (!row) return undefined;
    const now = this.clock.now();
    if (row.expires_at && Date.parse(row.expires_at) <= now.getTime()) return undefined;
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS) {
      row.last_used_at = now.toISOString();
      this.database.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(row.last_used_at, row.id);
    }
    return toToken(row);
  }

  async listTokens(filter: { project?: string; userName?: string }): Promise<TokenRecord[]> {
    const rows = this.database
      .prepare(
        `SELECT * FROM api_tokens WHERE (? IS NULL OR project = ?) AND (? IS NULL OR user_name = ?) ORDER BY created_at, name`,
      )
      .all(filter.project ?? null, filter.project ?? null, filter.userName ?? null, filter.userName ?? null) as TokenRow[];
    return rows.map(toToken);
  }

  async revokeToken(id: string): Promise<boolean> {
    return this.database.prepare('DELETE FROM api_tokens WHERE id = ?').run(id).changes > 0;
  }

  async deleteProjectTokens(project: string): Promise<void> {
    this.database.prepare('DELETE FROM api_tokens WHERE project = ?').run(project);
  }
}
