export { GIT_HTTP_BACKEND, startGitServer } from './git-server.ts';
export type {
  CreateRepositoryOptions,
  GitServer,
  GitServerOptions,
  RecordedGitRequest,
} from './git-server.ts';
export { isolatedGitEnvironment } from './bare-repositories.ts';
