/**
 * The response schemas the client validates with, by the names client.ts uses. Each is the
 * contract's own (api-routes/schemas.ts, which the OpenAPI document and its conformance test use
 * too): one definition, so the client and the server cannot disagree about a body. Unknown fields
 * are stripped, not rejected, so a newer server that adds fields does not break the client.
 */
import type { z } from 'zod';
import {
  agenticSessionListSchema,
  healthResponseSchema,
  interruptResponseSchema,
  phaseRequestResponseSchema,
  projectListSchema,
} from '@ambient/contracts/api-routes/schemas';

export {
  healthResponseSchema,
  interruptResponseSchema,
  phaseRequestResponseSchema,
  projectListSchema,
};
/** One page of sessions; `continue` is there while more pages follow. */
export const sessionListSchema = agenticSessionListSchema;

export type HealthResponse = z.infer<typeof healthResponseSchema>;
/** POST …/stop and …/start: the intent is recorded (202); the controller acts on it. */
export type PhaseRequestResponse = z.infer<typeof phaseRequestResponseSchema>;
/** POST …/agui/interrupt (202). */
export type InterruptResponse = z.infer<typeof interruptResponseSchema>;
