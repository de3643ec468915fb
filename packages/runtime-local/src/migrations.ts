/**
 * The embedded schema, as numbered migrations. A migration is never edited once released: a change
 * to the layout is a new entry at the end, so every existing database file upgrades the same way.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'resources',
    sql: `
      -- One row: the store-wide resourceVersion counter and how far the change log was compacted.
      CREATE TABLE resource_store_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        resource_version INTEGER NOT NULL,
        compacted_through INTEGER NOT NULL
      );
      INSERT INTO resource_store_state (id, resource_version, compacted_through) VALUES (1, 0, 0);

      -- Cluster-scoped kinds use namespace '' so the primary key stays NOT NULL.
      CREATE TABLE resources (
        kind TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        uid TEXT NOT NULL UNIQUE,
        resource_version INTEGER NOT NULL,
        labels TEXT NOT NULL,
        object TEXT NOT NULL,
        PRIMARY KEY (kind, namespace, name)
      );

      -- Every write, in resourceVersion order; watches replay from here.
      CREATE TABLE resource_changes (
        rv INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('ADDED', 'MODIFIED', 'DELETED')),
        object TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'session-event-log',
    sql: `
      CREATE TABLE session_events (
        session_uid TEXT NOT NULL,
        seq INTEGER NOT NULL,
        producer_seq INTEGER,
        event TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (session_uid, seq)
      );

      -- The folded SessionSummary, kept in the same transaction as the appends it reflects.
      CREATE TABLE session_summaries (
        session_uid TEXT PRIMARY KEY,
        last_seq INTEGER NOT NULL,
        last_producer_seq INTEGER NOT NULL,
        summary TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'session-command-queue',
    sql: `
      CREATE TABLE session_command_cursors (
        session_uid TEXT PRIMARY KEY,
        last_cursor INTEGER NOT NULL,
        last_acknowledged INTEGER NOT NULL
      );

      -- Pending commands only: acknowledged ones are deleted with the acknowledgement.
      CREATE TABLE session_commands (
        session_uid TEXT NOT NULL,
        cursor INTEGER NOT NULL,
        command TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (session_uid, cursor),
        FOREIGN KEY (session_uid) REFERENCES session_command_cursors (session_uid) ON DELETE CASCADE
      );
    `,
  },
  {
    version: 4,
    name: 'identity-and-permissions',
    sql: `
      CREATE TABLE users (
        name TEXT PRIMARY KEY,
        display_name TEXT,
        groups TEXT NOT NULL,
        is_admin INTEGER NOT NULL DEFAULT 0,
        password_hash TEXT,
        created_at TEXT NOT NULL
      );

      -- Bearer tokens of users and project access keys; only a SHA-256 of the secret is kept.
      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        description TEXT,
        subject_kind TEXT NOT NULL CHECK (subject_kind IN ('user', 'access_key')),
        user_name TEXT,
        project TEXT,
        role TEXT,
        created_by TEXT,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        expires_at TEXT
      );
      CREATE INDEX api_tokens_project ON api_tokens (project);
      CREATE INDEX api_tokens_user ON api_tokens (user_name);

      CREATE TABLE project_permissions (
        project TEXT NOT NULL,
        subject_type TEXT NOT NULL CHECK (subject_type IN ('user', 'group')),
        subject_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'edit', 'view')),
        created_at TEXT NOT NULL,
        PRIMARY KEY (project, subject_type, subject_name)
      );
    `,
  },
  {
    version: 5,
    name: 'project-secrets',
    sql: `
      -- One row per key; the value is AES-256-GCM encrypted (iv, tag and ciphertext, base64).
      CREATE TABLE project_secrets (
        project TEXT NOT NULL,
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (project, name, key)
      );
    `,
  },
];
