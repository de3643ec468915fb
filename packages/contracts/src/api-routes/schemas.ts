/**
 * Response bodies (and path parameters) the routes return without a contract schema elsewhere.
 * They describe exactly what the handlers send today; the OpenAPI test sends real requests and
 * checks the answers against these, so the two cannot drift apart.
 */
import { z } from 'zod';
import { agenticSessionSchema, sessionPhaseSchema } from '../agentic-session.ts';
import { accessKeyViewSchema, permissionSchema, userViewSchema } from '../access.ts';
import { createSessionResponseSchema, errorBodySchema } from '../api.ts';
import { agUiEventSchema, seqSchema } from '../events.ts';
import { resourceNameSchema } from '../meta.ts';
import { projectRoleSchema, projectSettingsSpecSchema } from '../project-settings.ts';
import { projectViewSchema } from '../project.ts';

// --- errors -------------------------------------------------------------------------------------

export const validationIssueSchema = z.object({
  path: z.string().describe('Dotted path of the offending field; "(body)" for the body as a whole'),
  message: z.string(),
});

/** A 400: the shared error body whose `details` lists the validation issues (or says what is allowed). */
export const validationErrorBodySchema = errorBodySchema.extend({
  details: z.union([z.array(validationIssueSchema), z.record(z.string(), z.unknown())]).optional(),
});

// --- path parameters ----------------------------------------------------------------------------

export const projectPathSchema = z.object({ project: resourceNameSchema.describe('Project name') });
export const sessionPathSchema = projectPathSchema.extend({
  session: resourceNameSchema.describe('Session name (metadata.name)'),
});

// --- lists --------------------------------------------------------------------------------------

/** The envelope of every list: `{items}`; paginated lists add `totalCount` and `continue`. */
export function listOf<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item) });
}

export const projectListSchema = listOf(projectViewSchema);
export const permissionListSchema = listOf(permissionSchema);
export const accessKeyListSchema = listOf(accessKeyViewSchema);
export const userListSchema = listOf(userViewSchema);

export const agenticSessionListSchema = z.object({
  items: z.array(agenticSessionSchema),
  totalCount: z.number().int().min(0).describe('Sessions matching the filters, over all pages'),
  continue: z
    .string()
    .optional()
    .describe('Opaque cursor: pass it as ?continue= for the next page; absent on the last page'),
});

// --- platform and identity ----------------------------------------------------------------------

export const healthResponseSchema = z.object({ status: z.literal('healthy') });

export const clusterInfoSchema = z.object({
  mode: z.enum(['embedded', 'cluster']),
  isOpenShift: z.boolean(),
  apiVersion: z.string(),
});

export const loginResponseSchema = z.object({
  token: z.string().describe('Bearer token for the Authorization header'),
  expiresAt: z.string(),
  user: z.object({
    name: z.string(),
    displayName: z.string().optional(),
    groups: z.array(z.string()),
    isAdmin: z.boolean(),
  }),
});

export const currentIdentitySchema = z.object({
  userId: z.string(),
  displayName: z.string().optional(),
  groups: z.array(z.string()),
  isAdmin: z.boolean(),
  accessKeyProject: z.string().optional().describe('Set when the caller authenticated with a project access key'),
});

export const createdTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  token: z.string().describe('Shown once; only its hash is stored'),
  expiresAt: z.string().optional(),
});

/** The generated document itself (GET /api/openapi.json). */
export const openApiDocumentSchema = z
  .object({ openapi: z.string(), info: z.record(z.string(), z.unknown()), paths: z.record(z.string(), z.unknown()) })
  .loose();

// --- projects -----------------------------------------------------------------------------------

export const projectAccessSchema = z.object({ project: z.string(), userRole: projectRoleSchema });

export const accessKeyCreatedSchema = accessKeyViewSchema.extend({
  key: z.string().describe('The access key itself: shown once, only its hash is stored'),
});

/** PUT …/settings takes the whole spec and rejects unknown fields. */
export const updateProjectSettingsRequestSchema = projectSettingsSpecSchema.strict();

// --- sessions -----------------------------------------------------------------------------------

export const phaseRequestResponseSchema = z.object({
  message: z.string(),
  phase: sessionPhaseSchema.describe('The phase when the intent was recorded; the controller acts on it'),
});

export const interruptResponseSchema = z.object({ message: z.string() });

export const cloneSessionResponseSchema = createSessionResponseSchema.extend({
  project: z.string().describe('The project the copy was created in'),
});

/**
 * One frame's `data` on a session stream: an AG-UI event plus the per-session `seq` (which is also
 * the frame's `id:`). For the documentation only: the server sends what the event log stored.
 */
export const sessionEventFrameSchema = z.intersection(z.object({ seq: seqSchema }).loose(), agUiEventSchema);

// --- workspace ----------------------------------------------------------------------------------

export const workspaceEntrySchema = z.object({
  name: z.string(),
  path: z.string().describe('Relative to the workspace root'),
  type: z.enum(['directory', 'file', 'symlink']),
  size: z.number().int().min(0),
  modifiedAt: z.string(),
});

export const workspaceListingSchema = z.object({
  path: z.string().describe('The directory listed, relative to the workspace root ("" is the root)'),
  items: z.array(workspaceEntrySchema).describe('Directories first, then by name'),
});

export const workspaceWriteResultSchema = z.object({ path: z.string(), size: z.number().int().min(0) });
