export { createEventMapper } from './event-mapper.ts';
export type { EventMapper, EventMapperOptions } from './event-mapper.ts';
export { MAX_RESULT_TEXT_LENGTH, toSessionResult, truncateText } from './session-result.ts';
export { isAsyncLaunch, SubagentTracker } from './subagents.ts';
export type { SubagentIdentity } from './subagents.ts';
