'use client';
/**
 * The Access keys section. Listing keys needs the admin role, so non-admins get an explanation
 * instead of a request that would answer 403.
 */
import { Badge } from '../../components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { formatDate } from '../../lib/format';
import { EmptyState, ErrorState } from '../layout/page-states';
import { SectionLoading } from '../layout/section-states';
import { useProjectAccess } from '../project/use-project-access';
import { CreateKeyDialog } from './create-key-dialog';
import { RevokeKeyButton } from './revoke-key-button';
import { useAccessKeys } from './use-access-keys';

function isExpired(expiresAt: string | undefined): boolean {
  return expiresAt !== undefined && new Date(expiresAt).getTime() < Date.now();
}

function KeysTable({ project }: { project: string }) {
  const keys = useAccessKeys(project);
  if (keys.isPending) return <SectionLoading label="Loading access keys" />;
  if (keys.isError) return <ErrorState title="Could not load access keys" error={keys.error} onRetry={() => void keys.refetch()} />;
  if (keys.data.length === 0) {
    return <EmptyState title="No access keys yet" description="Create a key for scripts, pipelines or the CLI to act in this project." />;
  }
  return (
    <div className="rounded-md border">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Created</TableHead>
            <TableHead>Last used</TableHead>
            <TableHead>Expires</TableHead>
            <TableHead className="text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {keys.data.map((key) => (
            <TableRow key={key.id}>
              <TableCell className="max-w-72">
                <span className="block truncate font-medium">{key.name}</span>
                {key.description ? <span className="block truncate text-xs text-muted-foreground">{key.description}</span> : null}
              </TableCell>
              <TableCell>
                <Badge variant="secondary">{key.role}</Badge>
              </TableCell>
              <TableCell>
                {formatDate(key.createdAt)}
                {key.createdBy ? <span className="block text-xs text-muted-foreground">by {key.createdBy}</span> : null}
              </TableCell>
              <TableCell>{key.lastUsedAt ? formatDate(key.lastUsedAt) : 'Never'}</TableCell>
              <TableCell>
                {key.expiresAt ? formatDate(key.expiresAt) : 'Never'}
                {isExpired(key.expiresAt) ? (
                  <Badge variant="warning" className="ml-2">
                    expired
                  </Badge>
                ) : null}
              </TableCell>
              <TableCell className="text-right">
                <RevokeKeyButton project={project} accessKey={key} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

export function AccessKeysSection({ project }: { project: string }) {
  const access = useProjectAccess(project);
  return (
    <section aria-labelledby="keys-heading" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="keys-heading" className="text-lg font-semibold">
            Access keys
          </h2>
          <p className="text-sm text-muted-foreground">Bearer tokens for automation, limited to this project and one role.</p>
        </div>
        {access.isAdmin ? <CreateKeyDialog project={project} /> : null}
      </div>
      {access.isPending ? (
        <SectionLoading label="Loading access keys" />
      ) : access.isError ? (
        <ErrorState title="Could not check your role" error={access.error} onRetry={() => void access.refetch()} />
      ) : access.isAdmin ? (
        <KeysTable project={project} />
      ) : (
        <EmptyState title="Only admins manage access keys" description="Ask an admin of this project for a key, or for the admin role." />
      )}
    </section>
  );
}
