import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '../features/layout/providers';
import { THEME_SCRIPT } from '../features/layout/theme';
import './globals.css';

export const metadata: Metadata = {
  title: 'Ambient Code Platform',
  description: 'Run Claude Code agent sessions and watch them work.',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#0a0a0a' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme script sets the class before React hydrates, so the attribute differs on purpose.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
