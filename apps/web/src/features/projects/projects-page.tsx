'use client';
/** /projects/: the projects the user can see, with search and "New project". */
import Link from 'next/link';
import { FolderIcon, SearchIcon } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Card, CardDescription, CardHeader, CardTitle } from '../../components/ui/card';
import { Input } from '../../components/ui/input';
import { Skeleton } from '../../components/ui/skeleton';
import { EmptyState, ErrorState } from '../layout/page-states';
import { formatDate } from '../../lib/format';
import { projectHref } from '../../lib/routes';
import { CreateProjectDialog } from './create-project-dialog';
import { filterProjects } from './filter-projects';
import { useProjects } from './use-projects';

export function ProjectsPage() {
  const projects = useProjects();
  const [search, setSearch] = useState('');
  const visible = useMemo(() => filterProjects(projects.data ?? [], search), [projects.data, search]);

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Projects</h1>
          <p className="text-sm text-muted-foreground">Each project has its own sessions, members, keys and settings.</p>
        </div>
        <CreateProjectDialog />
      </div>
      <div className="relative max-w-sm">
        <SearchIcon className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-muted-foreground" aria-hidden="true" />
        <Input
          type="search"
          aria-label="Search projects"
          placeholder="Search projects"
          className="pl-8"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      {projects.isPending ? (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-busy="true" aria-label="Loading projects">
          {[0, 1, 2].map((index) => (
            <Skeleton key={index} className="h-24" />
          ))}
        </div>
      ) : projects.isError ? (
        <ErrorState title="Could not load projects" error={projects.error} onRetry={() => void projects.refetch()} />
      ) : projects.data.length === 0 ? (
        <EmptyState title="No projects yet" description="Create a project to start running agent sessions." action={<CreateProjectDialog />} />
      ) : visible.length === 0 ? (
        <EmptyState title="No matching projects" description={`Nothing matches "${search}".`} />
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Projects">
          {visible.map((project) => (
            <li key={project.name}>
              <Link href={projectHref(project.name)} className="block rounded-xl outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
                <Card className="h-full transition-colors hover:bg-accent/50">
                  <CardHeader>
                    <CardTitle className="flex items-center gap-2">
                      <FolderIcon className="size-4 text-muted-foreground" aria-hidden="true" />
                      <span className="truncate">{project.displayName || project.name}</span>
                    </CardTitle>
                    <CardDescription className="truncate">
                      {project.displayName ? <span className="font-mono">{project.name}</span> : null}
                      {project.displayName && project.creationTimestamp ? ' · ' : null}
                      {project.creationTimestamp ? `created ${formatDate(project.creationTimestamp)}` : null}
                    </CardDescription>
                    {project.description ? <p className="line-clamp-2 text-sm">{project.description}</p> : null}
                  </CardHeader>
                </Card>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
