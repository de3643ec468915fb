'use client';
/** `/` has nothing of its own: the projects list is home. */
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { PageLoading } from '../features/layout/page-states';
import { projectsHref } from '../lib/routes';

export default function HomePage() {
  const router = useRouter();
  useEffect(() => router.replace(projectsHref), [router]);
  return <PageLoading />;
}
