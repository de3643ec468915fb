export { runRunner, exitCode } from './runner.ts';
export type { RunRunnerOptions } from './runner.ts';
export { loadConfig, channelUrl } from './config.ts';
export type { RunnerConfig } from './config.ts';
