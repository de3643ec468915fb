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
export { describeAuthContract } from './auth-contract.ts';
export type { AuthHarness, AuthPorts } from './auth-contract.ts';
export { describeWorkloadRuntimeContract, writeWorkloadContractRunner, WORKLOAD_CONTRACT_RUNNER_SOURCE, type WorkloadRuntimeContractOptions, type WorkloadRuntimeHarness } from './workload-runtime-contract.ts';
export { describeWorkspaceFilesContract } from './workspace-files-contract.ts';
export type { WorkspaceFilesContractOptions, WorkspaceFilesHarness } from './workspace-files-contract.ts';
