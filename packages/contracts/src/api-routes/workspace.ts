/**
 * Routes of a session's workspace files. The file path is the rest of the URL after /workspace/
 * (a Hono wildcard `*`), documented as the path parameter WILDCARD_PATH_PARAMETER: it may contain
 * slashes, which OpenAPI tools percent-encode unless told otherwise.
 */
import { z } from 'zod';
import { sessionPathSchema, workspaceListingSchema, workspaceWriteResultSchema } from './schemas.ts';
import { SESSION } from './sessions.ts';
import { defineRoute } from './types.ts';
import type { ApiRoute } from './types.ts';

/** The name under which a trailing Hono wildcard (`/*`) is documented. */
export const WILDCARD_PATH_PARAMETER = 'path';

const WORKSPACE = `${SESSION}/workspace`;
const workspacePathSchema = sessionPathSchema.extend({
  [WILDCARD_PATH_PARAMETER]: z
    .string()
    .describe('File or directory path relative to the workspace root; may contain "/". `..`, absolute paths and runner internals (.ambient, .claude) are refused'),
});
const UNAVAILABLE =
  'The workspace cannot be reached yet. Cluster mode: no runner of the session is connected and its workspace viewer is still starting (the request waits up to 20 s first); retry shortly.';

export const workspaceRoutes: readonly ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: WORKSPACE,
    operationId: 'listWorkspaceRoot',
    summary: 'List the workspace’s top directory',
    tags: ['workspace'],
    auth: 'bearer',
    minimumRole: 'view',
    params: sessionPathSchema,
    responses: { 200: { description: 'The top directory', schema: workspaceListingSchema } },
    errors: { 503: UNAVAILABLE },
  }),
  defineRoute({
    method: 'get',
    path: `${WORKSPACE}/{${WILDCARD_PATH_PARAMETER}}`,
    operationId: 'readWorkspacePath',
    summary: 'Read a file, or list a directory',
    description: 'A directory answers with a JSON listing; a file with its bytes (application/octet-stream, at most 10 MiB).',
    tags: ['workspace'],
    auth: 'bearer',
    minimumRole: 'view',
    params: workspacePathSchema,
    responses: {
      200: {
        description: 'The directory listing or the file',
        schema: workspaceListingSchema,
        alternatives: [{ contentType: 'application/octet-stream' }],
      },
    },
    errors: { 403: 'The path leaves the workspace (through `..` or a symbolic link).', 413: 'The file is larger than 10 MiB.', 503: UNAVAILABLE },
  }),
  defineRoute({
    method: 'put',
    path: `${WORKSPACE}/{${WILDCARD_PATH_PARAMETER}}`,
    operationId: 'writeWorkspaceFile',
    summary: 'Write a file (parents are created)',
    tags: ['workspace'],
    auth: 'bearer',
    minimumRole: 'edit',
    params: workspacePathSchema,
    body: { contentType: 'application/octet-stream', description: 'The file’s bytes' },
    responses: { 201: { description: 'Written', schema: workspaceWriteResultSchema } },
    errors: {
      403: 'The caller’s role does not allow this, or the path leaves the workspace (through `..` or a symbolic link).',
      409: 'A directory, or a file where a directory is needed, is in the way; in cluster mode also before the session’s first run (it has no workspace volume yet).',
      503: UNAVAILABLE,
    },
  }),
  defineRoute({
    method: 'delete',
    path: `${WORKSPACE}/{${WILDCARD_PATH_PARAMETER}}`,
    operationId: 'deleteWorkspacePath',
    summary: 'Delete a file or a directory (recursively)',
    tags: ['workspace'],
    auth: 'bearer',
    minimumRole: 'edit',
    params: workspacePathSchema,
    responses: { 204: { description: 'Deleted' } },
    errors: { 403: 'The caller’s role does not allow this, or the path leaves the workspace (through `..` or a symbolic link).', 503: UNAVAILABLE },
  }),
];
