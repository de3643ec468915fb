'use client';
/**
 * The session's workspace: a folder listing with breadcrumbs on one side, the selected file on the
 * other. Where the user is (folder, file) is kept by the session page, so switching tabs keeps it.
 */
import { ChevronRightIcon, FolderOpenIcon, RefreshCwIcon } from 'lucide-react';
import type { WorkspaceEntry } from '@ambient/client';
import { Button } from '../../components/ui/button';
import { SectionLoading } from '../layout/section-states';
import { cn } from '../../lib/utils';
import { pathCrumbs } from './file-preview';
import { FileViewer } from './file-viewer';
import { isWorkspaceStarting, useWorkspaceListing } from './use-workspace';
import { WorkspaceError } from './workspace-errors';
import { WorkspaceListing } from './workspace-listing';

export interface WorkspaceLocation {
  /** The folder listed, relative to the workspace root ('' is the root). */
  directory: string;
  file?: WorkspaceEntry;
}

export const WORKSPACE_ROOT: WorkspaceLocation = { directory: '' };

function Breadcrumbs({ directory, onOpen }: { directory: string; onOpen(path: string): void }) {
  const crumbs = [{ name: 'workspace', path: '' }, ...pathCrumbs(directory)];
  return (
    <nav aria-label="Folder path" className="min-w-0 flex-1">
      <ol className="flex min-w-0 flex-wrap items-center gap-1 text-sm">
        {crumbs.map((crumb, index) => {
          const last = index === crumbs.length - 1;
          return (
            <li key={crumb.path} className="flex min-w-0 items-center gap-1">
              {index > 0 ? <ChevronRightIcon className="size-3.5 shrink-0 text-muted-foreground" aria-hidden="true" /> : null}
              {last ? (
                <span aria-current="location" className="truncate font-mono font-medium">
                  {crumb.name}
                </span>
              ) : (
                <button
                  type="button"
                  className="truncate rounded-sm font-mono text-muted-foreground outline-none hover:text-foreground hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50"
                  onClick={() => onOpen(crumb.path)}
                >
                  {crumb.name}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export interface WorkspaceBrowserProps {
  project: string;
  session: string;
  /** The agent may be writing: keep the listing fresh. */
  live: boolean;
  location: WorkspaceLocation;
  onLocationChange(location: WorkspaceLocation): void;
}

export function WorkspaceBrowser({ project, session, live, location, onLocationChange }: WorkspaceBrowserProps) {
  const listing = useWorkspaceListing(project, session, location.directory, { live });
  const openDirectory = (directory: string): void => onLocationChange({ directory });
  const items = listing.data?.items ?? [];
  const atRoot = location.directory === '';
  // The listing's copy is newer (size, modification time): a file the agent rewrites is shown anew.
  const selected = location.file ? (items.find((item) => item.path === location.file?.path) ?? location.file) : undefined;

  return (
    <div className="grid min-h-0 flex-1 gap-3 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      <section aria-label="Workspace files" className="flex min-h-64 min-w-0 flex-col overflow-hidden rounded-lg border">
        <div className="flex items-center gap-2 border-b px-3 py-2">
          <Breadcrumbs directory={location.directory} onOpen={openDirectory} />
          <Button
            variant="ghost"
            size="icon"
            className="size-8"
            aria-label="Refresh the file list"
            onClick={() => void listing.refetch()}
            disabled={listing.isFetching}
          >
            <RefreshCwIcon className={cn(listing.isFetching && 'animate-spin')} aria-hidden="true" />
          </Button>
        </div>
        <div className="min-h-0 flex-1 overflow-auto p-1">
          {listing.isPending ? (
            <div className="p-2">
              <SectionLoading label={isWorkspaceStarting(listing.failureReason) ? 'Starting the workspace viewer…' : 'Loading files'} />
            </div>
          ) : listing.isError ? (
            <div className="p-2">
              <WorkspaceError error={listing.error} what={atRoot ? 'workspace' : 'folder'} onRetry={() => void listing.refetch()} />
              {!atRoot ? (
                <Button variant="link" size="sm" className="mt-2 px-0" onClick={() => openDirectory('')}>
                  Back to the workspace root
                </Button>
              ) : null}
            </div>
          ) : items.length === 0 ? (
            <div className="flex flex-col items-center gap-2 px-6 py-12 text-center">
              <FolderOpenIcon className="size-6 text-muted-foreground" aria-hidden="true" />
              <p className="font-medium">{atRoot ? 'The workspace is empty' : 'This folder is empty'}</p>
              {atRoot ? <p className="max-w-xs text-sm text-muted-foreground">Files the agent writes and repositories it clones appear here.</p> : null}
            </div>
          ) : (
            <WorkspaceListing
              items={items}
              selectedPath={location.file?.path}
              onOpenDirectory={openDirectory}
              onSelectFile={(file) => onLocationChange({ directory: location.directory, file })}
            />
          )}
        </div>
      </section>
      <FileViewer key={selected?.path ?? ''} project={project} session={session} entry={selected} onOpenDirectory={openDirectory} />
    </div>
  );
}
