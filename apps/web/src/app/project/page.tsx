'use client';
import { Suspense } from 'react';
import { RequireAuth } from '../../features/auth/require-auth';
import { PageLoading } from '../../features/layout/page-states';
import { ProjectPage } from '../../features/project/project-page';

// useSearchParams needs a Suspense boundary in a static export: the ids are only known in the browser.
export default function Page() {
  return (
    <RequireAuth>
      <Suspense fallback={<PageLoading />}>
        <ProjectPage />
      </Suspense>
    </RequireAuth>
  );
}
