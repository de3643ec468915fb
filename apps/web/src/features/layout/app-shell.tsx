'use client';
/** The frame of every signed-in page: a skip link, the header (home, theme, sign-out) and the content. */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { BotIcon, LogOutIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from '../../components/ui/button';
import { useAuth } from '../auth/auth-context';
import { projectsHref } from '../../lib/routes';
import { ThemeToggle } from './theme-toggle';

export function AppShell({ children, breadcrumbs }: { children: ReactNode; breadcrumbs?: ReactNode }) {
  const { signOut, token } = useAuth();
  const router = useRouter();
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur supports-[backdrop-filter]:bg-background/80">
        <div className="mx-auto flex h-14 w-full max-w-7xl items-center gap-3 px-4">
          <Link href={projectsHref} className="flex items-center gap-2 font-semibold">
            <BotIcon className="size-5" aria-hidden="true" />
            <span>Ambient Code</span>
          </Link>
          {breadcrumbs ? (
            <nav aria-label="Breadcrumb" className="min-w-0 flex-1 truncate text-sm text-muted-foreground">
              {breadcrumbs}
            </nav>
          ) : (
            <div className="flex-1" />
          )}
          <ThemeToggle />
          {token ? (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                signOut();
                router.replace('/signin/');
              }}
            >
              <LogOutIcon aria-hidden="true" />
              Sign out
            </Button>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto flex w-full max-w-7xl flex-1 flex-col px-4 py-6 outline-none">
        {children}
      </main>
    </div>
  );
}
