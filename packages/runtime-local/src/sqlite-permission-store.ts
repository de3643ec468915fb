/** Embedded PermissionStore: project role grants to users and groups (cluster mode: RoleBindings). */
import { isoNow, systemClock } from '@ambient/core';
import type { Clock, PermissionStore } from '@ambient/core';
import type { Permission, ProjectRole, SubjectType } from '@ambient/contracts';
import type { SqliteDatabase } from './database.ts';

interface PermissionRow {
  subject_type: SubjectType;
  subject_name: string;
  role: ProjectRole;
}

export class SqlitePermissionStore implements PermissionStore {
  private readonly clock: Clock;

  constructor(private readonly database: SqliteDatabase, options: { clock?: Clock } = {}) {
    this.clock = options.clock ?? systemClock;
  }

  async list(project: string): Promise<Permission[]> {
    const rows = this.database
      .prepare('SELECT subject_type, subject_name, role FROM project_permissions WHERE project = ? ORDER BY subject_type, subject_name')
      .all(project) as PermissionRow[];
    return rows.map((row) => ({ subjectType: row.subject_type, subjectName: row.subject_name, role: row.role }));
  }

  /** Grants or changes the subject's role (one role per subject and project). */
  async grant(project: string, permission: Permission): Promise<Permission> {
    this.database
      .prepare(
        `INSERT INTO project_permissions (project, subject_type, subject_name, role, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (project, subject_type, subject_name) DO UPDATE SET role = excluded.role`,
      )
      .run(project, permission.subjectType, permission.subjectName, permission.role, isoNow(this.clock));
    return permission;
  }

  async revoke(project: string, subjectType: SubjectType, subjectName: string): Promise<boolean> {
    return (
      this.database
        .prepare('DELETE FROM project_permissions WHERE project = ? AND subject_type = ? AND subject_name = ?')
        .run(project, subjectType, subjectName).changes > 0
    );
  }

  async deleteProject(project: string): Promise<void> {
    this.database.prepare('DELETE FROM project_permissions WHERE project = ?').run(project);
  }
}
