/** The loading skeleton every project section shows while its first answer is on the way. */
import { Skeleton } from '../../components/ui/skeleton';

export function SectionLoading({ label }: { label: string }) {
  return (
    <div className="grid gap-2" aria-busy="true" aria-label={label}>
      {[0, 1, 2].map((index) => (
        <Skeleton key={index} className="h-10" />
      ))}
    </div>
  );
}
