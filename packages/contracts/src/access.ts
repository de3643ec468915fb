/** Users, tokens, access keys and project permissions: request and response bodies. */
import { z } from 'zod';
import { projectRoleSchema } from './project-settings.ts';

/** User names follow Kubernetes subject conventions loosely: no spaces, no slashes. */
export const userNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'user names use letters, digits, ".", "_", "@" and "-"');

export const subjectTypeSchema = z.enum(['user', 'group']);
export type SubjectType = z.infer<typeof subjectTypeSchema>;

export const permissionSchema = z.object({
  subjectType: subjectTypeSchema,
  subjectName: userNameSchema,
  role: projectRoleSchema,
});
export type Permission = z.infer<typeof permissionSchema>;

export const grantPermissionRequestSchema = z.strictObject({
  subjectType: subjectTypeSchema,
  subjectName: userNameSchema,
  role: projectRoleSchema,
});

export const createAccessKeyRequestSchema = z.strictObject({
  name: z.string().min(1).max(64).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lowercase letters, digits and "-"'),
  description: z.string().max(500).optional(),
  role: projectRoleSchema.default('edit'),
  expiresInSeconds: z.number().int().positive().max(365 * 24 * 3600).optional(),
});

export const accessKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  role: projectRoleSchema,
  createdAt: z.string(),
  lastUsedAt: z.string().optional(),
  expiresAt: z.string().optional(),
  createdBy: z.string().optional(),
});
export type AccessKeyView = z.infer<typeof accessKeyViewSchema>;

export const createUserRequestSchema = z.strictObject({
  name: userNameSchema,
  displayName: z.string().max(200).optional(),
  groups: z.array(userNameSchema).max(100).optional(),
  password: z.string().min(12, 'passwords need at least 12 characters').max(256).optional(),
  isAdmin: z.boolean().optional(),
});

export const userViewSchema = z.object({
  name: z.string(),
  displayName: z.string().optional(),
  groups: z.array(z.string()),
  isAdmin: z.boolean(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof userViewSchema>;

export const loginRequestSchema = z.strictObject({
  username: userNameSchema,
  password: z.string().min(1).max(256),
});

export const createTokenRequestSchema = z.strictObject({
  name: z.string().min(1).max(64),
  expiresInSeconds: z.number().int().positive().max(365 * 24 * 3600).optional(),
});

export const updateProjectRequestSchema = z.strictObject({
  displayName: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
});
