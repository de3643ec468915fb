'use client';
/** One folder of the workspace: folders first, then files, with size and modification time. */
import { FileIcon, FileSymlinkIcon, FolderIcon } from 'lucide-react';
import type { WorkspaceEntry } from '@ambient/client';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { formatBytes, formatDate } from '../../lib/format';
import { cn } from '../../lib/utils';
import { sortEntries } from './file-preview';

const TYPE_SUFFIX: Record<WorkspaceEntry['type'], string> = { directory: ', folder', file: '', symlink: ', link' };

function EntryIcon({ type }: { type: WorkspaceEntry['type'] }) {
  const Icon = type === 'directory' ? FolderIcon : type === 'symlink' ? FileSymlinkIcon : FileIcon;
  return <Icon className={cn('size-4 shrink-0', type === 'directory' ? 'text-sky-600 dark:text-sky-400' : 'text-muted-foreground')} aria-hidden="true" />;
}

export interface WorkspaceListingProps {
  items: readonly WorkspaceEntry[];
  selectedPath: string | undefined;
  onOpenDirectory(path: string): void;
  onSelectFile(entry: WorkspaceEntry): void;
}

export function WorkspaceListing({ items, selectedPath, onOpenDirectory, onSelectFile }: WorkspaceListingProps) {
  return (
    <Table aria-label="Files in this folder">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead className="text-right">Size</TableHead>
          <TableHead className="hidden sm:table-cell">Modified</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {sortEntries(items).map((entry) => {
          const selected = entry.path === selectedPath;
          return (
            <TableRow key={entry.path} data-entry-type={entry.type} className={cn(selected && 'bg-accent hover:bg-accent')}>
              <TableCell className="max-w-0 w-full">
                <button
                  type="button"
                  className="flex w-full min-w-0 items-center gap-2 rounded-sm text-left outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50"
                  // A named label: the visible name plus the kind, the same in every browser.
                  aria-label={`${entry.name}${TYPE_SUFFIX[entry.type]}`}
                  aria-current={selected ? 'true' : undefined}
                  onClick={() => (entry.type === 'directory' ? onOpenDirectory(entry.path) : onSelectFile(entry))}
                >
                  <EntryIcon type={entry.type} />
                  <span className="truncate font-mono text-[13px]">{entry.name}</span>
                </button>
              </TableCell>
              <TableCell className="text-right text-muted-foreground tabular-nums">{entry.type === 'directory' ? '—' : formatBytes(entry.size)}</TableCell>
              <TableCell className="hidden text-muted-foreground sm:table-cell">{formatDate(entry.modifiedAt)}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
