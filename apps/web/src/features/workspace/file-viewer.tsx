'use client';
/**
 * The selected file: text (≤ 1 MB, UTF-8) in a monospace view with optional line numbers; anything
 * else as a download. The line numbers are one <pre> beside the text, not one element per line, so
 * a 20,000-line file renders as fast as a short one.
 */
import { DownloadIcon, FileQuestionIcon, ListOrderedIcon } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { WorkspaceEntry } from '@ambient/client';
import { Button } from '../../components/ui/button';
import { SectionLoading } from '../layout/section-states';
import { baseName, saveBlob } from '../../lib/download';
import { describeError } from '../../lib/errors';
import { formatBytes, formatDate } from '../../lib/format';
import { canPreview } from './file-preview';
import { useDownloadWorkspaceFile, useWorkspaceFile } from './use-workspace';
import { WorkspaceError } from './workspace-errors';

function TextView({ name, text, lineCount, lineNumbers }: { name: string; text: string; lineCount: number; lineNumbers: boolean }) {
  const numbers = useMemo(() => Array.from({ length: lineCount }, (_unused, index) => index + 1).join('\n'), [lineCount]);
  return (
    <div
      role="region"
      aria-label={`Contents of ${name}`}
      tabIndex={0}
      className="min-h-0 flex-1 overflow-auto bg-muted/20 font-mono text-xs leading-5 outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
    >
      <div className="flex min-w-fit">
        {lineNumbers ? (
          <pre aria-hidden="true" className="sticky left-0 border-r bg-muted px-3 py-2 text-right text-muted-foreground select-none" data-testid="line-numbers">
            {numbers}
          </pre>
        ) : null}
        <pre className="flex-1 px-3 py-2 whitespace-pre">
          <code>{text}</code>
        </pre>
      </div>
    </div>
  );
}

function Notice({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-2 px-6 py-12 text-center">
      <FileQuestionIcon className="size-6 text-muted-foreground" aria-hidden="true" />
      <p className="font-medium">{title}</p>
      {children}
    </div>
  );
}

export interface FileViewerProps {
  project: string;
  session: string;
  entry: WorkspaceEntry | undefined;
  onOpenDirectory(path: string): void;
}

export function FileViewer({ project, session, entry, onOpenDirectory }: FileViewerProps) {
  const file = useWorkspaceFile(project, session, entry);
  const download = useDownloadWorkspaceFile(project, session);
  const [lineNumbers, setLineNumbers] = useState(true);

  if (!entry) {
    return (
      <section aria-label="File viewer" className="flex min-h-64 flex-col rounded-lg border">
        <Notice title="No file selected">
          <p className="text-sm text-muted-foreground">Choose a file on the left to see its contents.</p>
        </Notice>
      </section>
    );
  }

  const name = baseName(entry.path);
  const preview = file.data?.preview;
  const saveFile = (): void => {
    // Text already on the page is saved from memory; anything else is fetched for the download.
    if (file.data?.blob) saveBlob(file.data.blob, name);
    else download.mutate(entry.path);
  };

  let body: ReactNode;
  if (!canPreview(entry.size)) {
    body = (
      <Notice title="This file is too large to show here">
        <p className="text-sm text-muted-foreground">It is {formatBytes(entry.size)}; the viewer shows files up to 1 MB. Download it instead.</p>
      </Notice>
    );
  } else if (file.isPending) {
    body = (
      <div className="p-3">
        <SectionLoading label={`Loading ${name}`} />
      </div>
    );
  } else if (file.isError) {
    body = (
      <div className="p-3">
        <WorkspaceError error={file.error} what="file" onRetry={() => void file.refetch()} />
      </div>
    );
  } else if (preview?.kind === 'directory') {
    body = (
      <Notice title="This link points to a folder">
        <Button variant="outline" size="sm" onClick={() => onOpenDirectory(entry.path)}>
          Open the folder
        </Button>
      </Notice>
    );
  } else if (preview?.kind === 'binary') {
    body = (
      <Notice title="This file is not text">
        <p className="text-sm text-muted-foreground">Binary files cannot be shown here. Download it to open it with another program.</p>
      </Notice>
    );
  } else if (preview?.kind === 'text' && preview.text === '') {
    body = <Notice title="The file is empty" />;
  } else if (preview?.kind === 'text') {
    body = <TextView name={name} text={preview.text} lineCount={preview.lineCount} lineNumbers={lineNumbers} />;
  }

  return (
    <section aria-label="File viewer" className="flex min-h-64 min-w-0 flex-col overflow-hidden rounded-lg border">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b px-3 py-2">
        <div className="min-w-0 flex-1">
          <h2 className="truncate font-mono text-sm font-medium" title={entry.path}>
            {entry.path}
          </h2>
          <p className="text-xs text-muted-foreground">
            {formatBytes(entry.size)} · modified {formatDate(entry.modifiedAt)}
            {preview?.kind === 'text' ? ` · ${preview.lineCount} ${preview.lineCount === 1 ? 'line' : 'lines'}` : ''}
          </p>
        </div>
        {preview?.kind === 'text' && preview.text !== '' ? (
          <Button variant={lineNumbers ? 'secondary' : 'ghost'} size="sm" aria-pressed={lineNumbers} onClick={() => setLineNumbers((shown) => !shown)}>
            <ListOrderedIcon aria-hidden="true" />
            Line numbers
          </Button>
        ) : null}
        {preview?.kind !== 'directory' ? (
          <Button variant="outline" size="sm" onClick={saveFile} disabled={download.isPending} aria-label={`Download ${name}`}>
            <DownloadIcon aria-hidden="true" />
            {download.isPending ? 'Downloading…' : 'Download'}
          </Button>
        ) : null}
      </div>
      {download.isError ? (
        <p role="alert" className="border-b px-3 py-2 text-sm text-destructive">
          {describeError(download.error)}
        </p>
      ) : null}
      {body}
    </section>
  );
}
