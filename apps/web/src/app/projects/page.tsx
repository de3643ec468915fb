'use client';
import { RequireAuth } from '../../features/auth/require-auth';
import { AppShell } from '../../features/layout/app-shell';
import { ProjectsPage } from '../../features/projects/projects-page';

export default function Page() {
  return (
    <RequireAuth>
      <AppShell>
        <ProjectsPage />
      </AppShell>
    </RequireAuth>
  );
}
