export * from './document.ts';
export * from './document-checks.ts';
export * from './html.ts';
export * from './routes.ts';
export * from './schema-conversion.ts';
