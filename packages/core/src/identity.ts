/**
 * Identity and permissions ports. Embedded mode keeps users, hashed tokens and role bindings in
 * SQLite; cluster mode gets identity from the caller's Kubernetes token and permissions from
 * RoleBindings to the ClusterRoles ambient-project-{admin,edit,view}.
 */
import type { Permission, ProjectRole, SubjectType } from '@ambient/contracts';

export interface Identity {
  userId: string;
  displayName?: string;
  groups: string[];
  /** Platform administrator: every project, user management. */
  isAdmin: boolean;
  /** Set when the caller authenticated with a project access key: it reaches only that project. */
  accessKey?: { id: string; project: string; role: ProjectRole };
}

export interface UserRecord {
  name: string;
  displayName?: string;
  groups: string[];
  isAdmin: boolean;
  createdAt: string;
}

export type TokenSubject =
  | { kind: 'user'; userName: string }
  | { kind: 'access_key'; project: string; role: ProjectRole };

export interface TokenRecord {
  id: string;
  name: string;
  description?: string;
  subject: TokenSubject;
  createdAt: string;
  createdBy?: string;
  lastUsedAt?: string;
  expiresAt?: string;
}

export interface IssuedToken {
  /** The secret itself: returned once, stored only as a hash. */
  token: string;
  record: TokenRecord;
}

export interface IdentityStore {
  createUser(input: {
    name: string;
    displayName?: string;
    groups?: string[];
    password?: string;
    isAdmin?: boolean;
  }): Promise<UserRecord>;
  getUser(name: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  /** Returns the user when the password matches; undefined otherwise (same timing either way). */
  verifyPassword(name: string, password: string): Promise<UserRecord | undefined>;
  issueToken(input: {
    subject: TokenSubject;
    name: string;
    description?: string;
    createdBy?: string;
    expiresAt?: string;
  }): Promise<IssuedToken>;
  /** Looks a presented token up (by hash), records its use, and skips expired or revoked tokens. */
  resolveToken(token: string): Promise<TokenRecord | undefined>;
  listTokens(filter: { project?: string; userName?: string }): Promise<TokenRecord[]>;
  revokeToken(id: string): Promise<boolean>;
  deleteProjectTokens(project: string): Promise<void>;
}

export interface PermissionStore {
  list(project: string): Promise<Permission[]>;
  grant(project: string, permission: Permission): Promise<Permission>;
  revoke(project: string, subjectType: SubjectType, subjectName: string): Promise<boolean>;
  deleteProject(project: string): Promise<void>;
}

const ROLE_RANK: Record<ProjectRole, number> = { view: 1, edit: 2, admin: 3 };

/** The strongest of several roles (a user may hold one directly and others through groups). */
export function strongestRole(roles: readonly ProjectRole[]): ProjectRole | undefined {
  let best: ProjectRole | undefined;
  for (const role of roles) if (!best || ROLE_RANK[role] > ROLE_RANK[best]) best = role;
  return best;
}

export function roleAtLeast(role: ProjectRole | undefined, required: ProjectRole): boolean {
  return role !== undefined && ROLE_RANK[role] >= ROLE_RANK[required];
}
