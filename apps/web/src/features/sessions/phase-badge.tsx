import type { SessionPhase } from '@ambient/contracts';
import { Badge } from '../../components/ui/badge';
import type { BadgeVariant } from '../../components/ui/badge';
import { cn } from '../../lib/utils';

const PHASE_VARIANTS: Record<SessionPhase, BadgeVariant> = {
  Pending: 'secondary',
  Creating: 'secondary',
  Running: 'info',
  Stopping: 'warning',
  Stopped: 'outline',
  Completed: 'success',
  Failed: 'destructive',
};

/** Phases in which something is happening: the badge shows a pulsing dot. */
const ACTIVE_PHASES: ReadonlySet<SessionPhase> = new Set(['Pending', 'Creating', 'Running', 'Stopping']);

export function PhaseBadge({ phase, className }: { phase: SessionPhase | undefined; className?: string }) {
  const shown = phase ?? 'Pending';
  return (
    <Badge variant={PHASE_VARIANTS[shown]} className={cn('gap-1.5', className)} data-phase={shown}>
      {ACTIVE_PHASES.has(shown) ? <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden="true" /> : null}
      {shown}
    </Badge>
  );
}
