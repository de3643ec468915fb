'use client';
/** /project/?name=<p>&section=…: one project, its sections in a side navigation. */
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { KeyRoundIcon, ListIcon, SettingsIcon, UsersIcon } from 'lucide-react';
import type { ComponentType, SVGProps } from 'react';
import { AppShell } from '../layout/app-shell';
import { EmptyState, ErrorState, PageLoading } from '../layout/page-states';
import { useProject } from '../projects/use-projects';
import { ProjectSectionContent } from './project-section-content';
import { isNotFound } from '../../lib/errors';
import { isProjectSection, PROJECT_SECTIONS, projectHref, projectsHref } from '../../lib/routes';
import type { ProjectSection } from '../../lib/routes';
import { cn } from '../../lib/utils';

const SECTION_LABELS: Record<ProjectSection, string> = { sessions: 'Sessions', sharing: 'Sharing', settings: 'Settings', keys: 'Access keys' };
const SECTION_ICONS: Record<ProjectSection, ComponentType<SVGProps<SVGSVGElement>>> = {
  sessions: ListIcon,
  sharing: UsersIcon,
  settings: SettingsIcon,
  keys: KeyRoundIcon,
};

export function ProjectPage() {
  const params = useSearchParams();
  const name = params.get('name') ?? '';
  const requested = params.get('section');
  const section: ProjectSection = isProjectSection(requested) ? requested : 'sessions';
  const project = useProject(name);
  const title = project.data?.displayName || name;

  const breadcrumbs = (
    <>
      <Link href={projectsHref} className="hover:text-foreground">
        Projects
      </Link>
      <span aria-hidden="true"> / </span>
      <span aria-current="page" className="text-foreground">
        {title || 'Project'}
      </span>
    </>
  );

  if (!name) {
    return (
      <AppShell breadcrumbs={breadcrumbs}>
        <EmptyState title="No project selected" action={<Link href={projectsHref} className="underline">Choose a project</Link>} />
      </AppShell>
    );
  }

  return (
    <AppShell breadcrumbs={breadcrumbs}>
      {project.isPending ? (
        <PageLoading label="Loading project…" />
      ) : project.isError ? (
        <ErrorState
          title={isNotFound(project.error) ? `Project "${name}" not found` : 'Could not load the project'}
          error={project.error}
          onRetry={isNotFound(project.error) ? undefined : () => void project.refetch()}
        />
      ) : (
        <div className="flex flex-col gap-6">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
            {project.data.description ? <p className="text-sm text-muted-foreground">{project.data.description}</p> : null}
          </div>
          <div className="flex flex-col gap-6 md:flex-row">
            <nav aria-label="Project sections" className="md:w-48 md:shrink-0">
              <ul className="flex gap-1 overflow-x-auto md:flex-col">
                {PROJECT_SECTIONS.map((item) => {
                  const Icon = SECTION_ICONS[item];
                  return (
                    <li key={item}>
                      <Link
                        href={projectHref(name, item)}
                        aria-current={item === section ? 'page' : undefined}
                        className={cn(
                          'flex items-center gap-2 rounded-md px-3 py-2 text-sm whitespace-nowrap hover:bg-accent',
                          item === section && 'bg-accent font-medium',
                        )}
                      >
                        <Icon className="size-4" aria-hidden="true" />
                        {SECTION_LABELS[item]}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </nav>
            <div className="min-w-0 flex-1">
              <ProjectSectionContent project={name} section={section} />
            </div>
          </div>
        </div>
      )}
    </AppShell>
  );
}
