'use client';
/** Which component renders which section of the project page. */
import type { ProjectSection } from '../../lib/routes';
import { AccessKeysSection } from '../access-keys/access-keys-section';
import { SessionsSection } from '../sessions/sessions-section';
import { SettingsSection } from '../settings/settings-section';
import { SharingSection } from '../sharing/sharing-section';

export function ProjectSectionContent({ project, section }: { project: string; section: ProjectSection }) {
  switch (section) {
    case 'sessions':
      return <SessionsSection project={project} />;
    case 'sharing':
      return <SharingSection project={project} />;
    case 'settings':
      return <SettingsSection project={project} />;
    case 'keys':
      return <AccessKeysSection project={project} />;
  }
}
