export * from './work-queue.ts';
export * from './controller.ts';
