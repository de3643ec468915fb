export * from './app.ts';
export * from './auth/middleware.ts';
export * from './deps.ts';
export * from './errors.ts';
export * from './runner-channel.ts';
export * from './session-service.ts';
export * from './auth/embedded.ts';
