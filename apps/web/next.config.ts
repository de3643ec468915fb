/**
 * The web UI is a static export (ADR 0007): `next build` writes plain files to `out/`, which the API
 * server serves at `/` (embedded mode) or a small web container serves (cluster mode). Ids travel in
 * query parameters because dynamic route segments cannot be exported without knowing every id.
 */
import type { NextConfig } from 'next';

const config: NextConfig = {
  output: 'export',
  // `/projects/` is written as `projects/index.html`, so any static file server finds it.
  trailingSlash: true,
  // The workspace packages export TypeScript sources with `.ts` import extensions (ADR 0005).
  transpilePackages: ['@ambient/client', '@ambient/contracts'],
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
  // The repository lints with its own ESLint setup (`npx eslint apps/web`).
  devIndicators: false,
};

export default config;
