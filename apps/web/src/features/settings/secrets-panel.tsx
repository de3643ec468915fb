'use client';
/**
 * One project secret: which keys are set and when they changed. Values are write-only: the API
 * never returns them, so this panel has nothing to show but names and dates.
 */
import { LockIcon } from 'lucide-react';
import type { ProjectSecretKind } from '@ambient/client';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { formatDate } from '../../lib/format';
import { ErrorState } from '../layout/page-states';
import { SectionLoading } from '../layout/section-states';
import { RemoveSecretButton } from './remove-secret-button';
import { SECRET_KINDS } from './secret-kinds';
import { SetSecretForm } from './set-secret-form';
import { useProjectSecrets } from './use-project-secrets';

export function SecretsPanel({ project, kind, canEdit }: { project: string; kind: ProjectSecretKind; canEdit: boolean }) {
  const info = SECRET_KINDS[kind];
  const secrets = useProjectSecrets(project, kind);
  const headingId = `secrets-${kind}-heading`;
  return (
    <Card aria-labelledby={headingId} role="region">
      <CardHeader>
        <CardTitle id={headingId}>{info.title}</CardTitle>
        <CardDescription>
          {info.description}{' '}
          <span className="inline-flex items-center gap-1">
            <LockIcon className="size-3" aria-hidden="true" />
            Values are write-only: once saved they are never shown again, here or in the API.
          </span>
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {secrets.isPending ? (
          <SectionLoading label={`Loading ${info.title.toLowerCase()}`} />
        ) : secrets.isError ? (
          <ErrorState title={`Could not load ${info.title.toLowerCase()}`} error={secrets.error} onRetry={() => void secrets.refetch()} />
        ) : secrets.data.keys.length === 0 ? (
          <p className="text-sm text-muted-foreground">No keys are set.</p>
        ) : (
          <div className="rounded-md border">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Key</TableHead>
                  <TableHead>Value</TableHead>
                  <TableHead>Updated</TableHead>
                  {canEdit ? (
                    <TableHead className="text-right">
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  ) : null}
                </TableRow>
              </TableHeader>
              <TableBody>
                {secrets.data.keys.map((entry) => (
                  <TableRow key={entry.key}>
                    <TableCell className="font-mono text-xs">{entry.key}</TableCell>
                    <TableCell className="text-muted-foreground">
                      <span aria-label="Value hidden">••••••••</span>
                    </TableCell>
                    <TableCell>{formatDate(entry.updatedAt)}</TableCell>
                    {canEdit ? (
                      <TableCell className="text-right">
                        <RemoveSecretButton project={project} kind={kind} secretKey={entry.key} />
                      </TableCell>
                    ) : null}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
        {canEdit ? <SetSecretForm project={project} kind={kind} /> : null}
      </CardContent>
    </Card>
  );
}
