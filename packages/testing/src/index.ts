export { describeResourceStoreContract } from './resource-store-contract.ts';
export type {
  ResourceStoreContractOptions,
  ResourceStoreHarness,
} from './resource-store-harness.ts';
export { describeEventLogContract } from './event-log-contract.ts';
export type { EventLogContractOptions, EventLogHarness } from './event-log-contract.ts';
export { describeCommandQueueContract } from './command-queue-contract.ts';
export type { CommandQueueContractOptions, CommandQueueHarness } from './command-queue-contract.ts';
export * from './assertions.ts';
export * from './fixtures.ts';
