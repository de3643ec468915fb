'use client';
/** The Settings section: the ProjectSettings form and the two secrets panels. */
import { ErrorState } from '../layout/page-states';
import { SectionLoading } from '../layout/section-states';
import { useProjectAccess } from '../project/use-project-access';
import { SecretsPanel } from './secrets-panel';
import { SettingsForm } from './settings-form';
import { useProjectSettings } from './use-project-settings';

export function SettingsSection({ project }: { project: string }) {
  const settings = useProjectSettings(project);
  const { isAdmin } = useProjectAccess(project);
  return (
    <section aria-labelledby="settings-heading" className="flex flex-col gap-4">
      <div>
        <h2 id="settings-heading" className="text-lg font-semibold">
          Settings
        </h2>
        <p className="text-sm text-muted-foreground">Defaults, the model endpoint and credentials for this project.</p>
      </div>
      {settings.isPending ? (
        <SectionLoading label="Loading settings" />
      ) : settings.isError ? (
        <ErrorState title="Could not load settings" error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        // The form copies the settings once: a background refetch must not overwrite what someone is typing.
        <SettingsForm key={project} project={project} settings={settings.data} canEdit={isAdmin} />
      )}
      {/* Which credentials a project holds is admin information (the API answers 403 to others). */}
      {isAdmin ? (
        <>
          <SecretsPanel project={project} kind="runner" canEdit />
          <SecretsPanel project={project} kind="integrations" canEdit />
        </>
      ) : null}
    </section>
  );
}
