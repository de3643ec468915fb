export * from './types.ts';
export * from './assistant-message.ts';
export * from './sse.ts';
export * from './conversation.ts';
export * from './default-plan.ts';
export * from './server.ts';
export * from './sample-requests.ts';
