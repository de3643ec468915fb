import Link from 'next/link';

/** Exported as 404.html; the server sends it with status 404 for unknown paths. */
export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-sm text-muted-foreground">There is no page at this address.</p>
      <Link href="/projects/" className="text-sm underline underline-offset-4">
        Go to your projects
      </Link>
    </main>
  );
}
