'use client';
/** Download the transcript: Markdown to read, JSON (the session and every raw event) to process. */
import { DownloadIcon, FileJsonIcon, FileTextIcon } from 'lucide-react';
import type { SessionExportFormat } from '@ambient/client';
import { Button } from '../../components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '../../components/ui/dialog';
import { describeError } from '../../lib/errors';
import { useExportSession } from './use-session-tools';

const FORMATS: { format: SessionExportFormat; label: string; description: string; Icon: typeof FileTextIcon }[] = [
  { format: 'markdown', label: 'Markdown', description: 'A readable transcript: messages, tool calls and results.', Icon: FileTextIcon },
  { format: 'json', label: 'JSON', description: 'The session resource and every raw event, for tools and archives.', Icon: FileJsonIcon },
];

export interface ExportSessionDialogProps {
  project: string;
  name: string;
  label: string;
  open: boolean;
  onOpenChange(open: boolean): void;
}

export function ExportSessionDialog({ project, name, label, open, onOpenChange }: ExportSessionDialogProps) {
  const exporter = useExportSession(project, name);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next) exporter.reset();
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Export {label}</DialogTitle>
          <DialogDescription>The transcript up to now. A running session is exported as far as it has got.</DialogDescription>
        </DialogHeader>
        <ul className="grid gap-2">
          {FORMATS.map(({ format, label: formatLabel, description, Icon }) => (
            <li key={format} className="flex items-center gap-3 rounded-md border p-3">
              <Icon className="size-5 shrink-0 text-muted-foreground" aria-hidden="true" />
              <div className="min-w-0 flex-1">
                <p className="text-sm font-medium">{formatLabel}</p>
                <p className="text-xs text-muted-foreground">{description}</p>
              </div>
              <Button
                variant="outline"
                size="sm"
                disabled={exporter.isPending}
                onClick={() => exporter.mutate(format)}
                aria-label={`Download ${formatLabel}`}
              >
                <DownloadIcon aria-hidden="true" />
                {exporter.isPending && exporter.variables === format ? 'Preparing…' : 'Download'}
              </Button>
            </li>
          ))}
        </ul>
        <p role="status" className="min-h-5 text-sm text-muted-foreground">
          {exporter.isSuccess ? `Saved ${exporter.data}.` : ''}
        </p>
        {exporter.isError ? (
          <p role="alert" className="text-sm text-destructive">
            {describeError(exporter.error)}
          </p>
        ) : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Close</Button>
          </DialogClose>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
