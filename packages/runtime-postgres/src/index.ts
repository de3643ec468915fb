export { PostgresEventLog } from './postgres-event-log.ts';
export type { PostgresEventLogOptions } from './postgres-event-log.ts';
export { PostgresCommandQueue, COMMANDS_CHANNEL } from './postgres-command-queue.ts';
export type { PostgresCommandQueueOptions } from './postgres-command-queue.ts';
export { EVENTS_CHANNEL } from './event-log-queries.ts';
export { MIGRATIONS, migrate } from './migrations.ts';
export type { Migration } from './migrations.ts';
export type { BackoffOptions, ErrorReporter } from './retry.ts';
