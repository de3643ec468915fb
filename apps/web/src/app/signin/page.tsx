'use client';
import { Suspense } from 'react';
import { SignInPage } from '../../features/auth/signin-page';
import { AppShell } from '../../features/layout/app-shell';
import { PageLoading } from '../../features/layout/page-states';

export default function Page() {
  return (
    <AppShell>
      <Suspense fallback={<PageLoading />}>
        <SignInPage />
      </Suspense>
    </AppShell>
  );
}
