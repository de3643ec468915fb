/**
 * Schemas of responses the contracts package does not describe (yet). Kept here, small and loose
 * where the server may add fields, so the client does not break on a newer server.
 */
import { z } from 'zod';
import { agenticSessionSchema, projectViewSchema, sessionPhaseSchema } from '@ambient/contracts';

export const healthResponseSchema = z.object({ status: z.string() }).loose();
export type HealthResponse = z.infer<typeof healthResponseSchema>;

export const projectListSchema = z.object({ items: z.array(projectViewSchema) });
/** One page of sessions; `continue` is there while more pages follow (servers without paging omit it). */
export const sessionListSchema = z.object({
  items: z.array(agenticSessionSchema),
  continue: z.string().optional(),
});

/** POST …/stop and …/start: the intent is recorded (202); the controller acts on it. */
export const phaseRequestResponseSchema = z.object({
  message: z.string(),
  phase: sessionPhaseSchema,
});
export type PhaseRequestResponse = z.infer<typeof phaseRequestResponseSchema>;

/** POST …/agui/interrupt (202). */
export const interruptResponseSchema = z.object({ message: z.string() });
export type InterruptResponse = z.infer<typeof interruptResponseSchema>;
