'use client';
/** The Sharing section: who has which role in the project; admins can add and revoke grants. */
import { UserIcon, UsersIcon } from 'lucide-react';
import { Badge } from '../../components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { EmptyState, ErrorState } from '../layout/page-states';
import { SectionLoading } from '../layout/section-states';
import { useProjectAccess } from '../project/use-project-access';
import { GrantDialog } from './grant-dialog';
import { RevokePermissionButton } from './revoke-permission-button';
import { usePermissions } from './use-permissions';

export function SharingSection({ project }: { project: string }) {
  const permissions = usePermissions(project);
  const { isAdmin } = useProjectAccess(project);
  return (
    <section aria-labelledby="sharing-heading" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="sharing-heading" className="text-lg font-semibold">
            Sharing
          </h2>
          <p className="text-sm text-muted-foreground">Users and groups with a role in this project.</p>
        </div>
        {isAdmin ? <GrantDialog project={project} /> : null}
      </div>
      {permissions.isPending ? (
        <SectionLoading label="Loading permissions" />
      ) : permissions.isError ? (
        <ErrorState title="Could not load permissions" error={permissions.error} onRetry={() => void permissions.refetch()} />
      ) : permissions.data.length === 0 ? (
        <EmptyState title="Nobody else has access" description={isAdmin ? 'Add a user or a group to share this project.' : undefined} />
      ) : (
        <div className="rounded-md border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Type</TableHead>
                <TableHead>Role</TableHead>
                {isAdmin ? (
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {permissions.data.map((permission) => {
                const Icon = permission.subjectType === 'group' ? UsersIcon : UserIcon;
                return (
                  <TableRow key={`${permission.subjectType}/${permission.subjectName}`}>
                    <TableCell className="font-medium">{permission.subjectName}</TableCell>
                    <TableCell>
                      <span className="inline-flex items-center gap-1.5">
                        <Icon className="size-4 text-muted-foreground" aria-hidden="true" />
                        {permission.subjectType === 'group' ? 'Group' : 'User'}
                      </span>
                    </TableCell>
                    <TableCell>
                      <Badge variant={permission.role === 'admin' ? 'default' : 'secondary'}>{permission.role}</Badge>
                    </TableCell>
                    {isAdmin ? (
                      <TableCell className="text-right">
                        <RevokePermissionButton project={project} permission={permission} />
                      </TableCell>
                    ) : null}
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
