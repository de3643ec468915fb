'use client';
import { MonitorIcon, MoonIcon, SunIcon } from 'lucide-react';
import { useEffect, useSyncExternalStore } from 'react';
import { Button } from '../../components/ui/button';
import { applyTheme, readThemeChoice, storeThemeChoice, subscribeToThemeChoice } from './theme';
import type { ThemeChoice } from './theme';

const NEXT_CHOICE: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABELS: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };

export function ThemeToggle() {
  const choice = useSyncExternalStore(subscribeToThemeChoice, readThemeChoice, (): ThemeChoice => 'system');

  useEffect(() => {
    applyTheme(choice);
    if (choice !== 'system') return;
    // Follow the operating system while the user has not picked a theme.
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = (): void => applyTheme('system');
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, [choice]);

  const next = NEXT_CHOICE[choice];
  const Icon = choice === 'dark' ? MoonIcon : choice === 'light' ? SunIcon : MonitorIcon;
  return (
    <Button
      variant="ghost"
      size="icon"
      aria-label={`${LABELS[choice]} (switch to ${LABELS[next].toLowerCase()})`}
      title={LABELS[choice]}
      onClick={() => storeThemeChoice(next)}
    >
      <Icon aria-hidden="true" />
    </Button>
  );
}
