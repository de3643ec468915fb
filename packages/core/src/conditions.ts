/**
 * Status conditions with apimachinery `SetStatusCondition` semantics: a condition of the same type
 * is replaced, and `lastTransitionTime` changes only when `status` flips.
 */
import type { Condition } from '@ambient/contracts';

export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: Omit<Condition, 'lastTransitionTime'>,
  nowIso: string,
): Condition[] {
  const existing = conditions ?? [];
  const previous = existing.find((condition) => condition.type === next.type);
  const lastTransitionTime =
    previous && previous.status === next.status ? previous.lastTransitionTime : nowIso;
  const updated: Condition = { ...next, lastTransitionTime };
  if (!previous) return [...existing, updated];
  return existing.map((condition) => (condition.type === next.type ? updated : condition));
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}
