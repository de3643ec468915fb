/**
 * The session page's tools end to end, with the same real parts as web-e2e.test.ts (the exported
 * UI, the platform process with the real Claude Code CLI and the fake model, Debian's Chromium): a
 * session on a local git repository writes files; the Files tab lists them (breadcrumbs, folders
 * first), shows one in the viewer and downloads it; the Repos tab shows the repository the runner
 * cloned; the transcript is exported as Markdown and as JSON; the session is cloned (the page moves
 * to the copy) and the copy deleted (back to the project, the original still listed). Screenshots
 * land in test/screenshots/ beside web-e2e's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeModel } from '@ambient/fake-model';
import type { FakeModel } from '@ambient/fake-model';
import { startPlatformProcess } from '@ambient/testing/platform-process';
import type { PlatformProcess } from '@ambient/testing/platform-process';
import { ensureChromium, launchChromium } from './chromium.ts';
import { uiServerFor } from './ui-server.ts';
import type { UiServer } from './ui-server.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WEB_OUT = join(REPO_ROOT, 'apps', 'web', 'out');
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const PROJECT = 'tools-e2e';
const DISPLAY_NAME = 'Report writer';
const CLONE_NAME = 'Report writer, again';
// Two files in the repository the agent works in (its cwd): one at the top, one in a folder.
const PROMPT = ['WRITE_FILE report.md # Weekly report\\n\\n- first item\\n- second item\\n', 'WRITE_FILE docs/guide.txt step one\\nstep two\\n'].join('\n');

/** A bare repository with one commit on `main`, reachable by path: the runner clones it like any remote. */
function seedRepository(directory: string): string {
  const bare = join(directory, 'seed.git');
  const work = join(directory, 'work');
  const git = (args: string[], cwd?: string) =>
    execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', ...args], { cwd, stdio: 'pipe' });
  git(['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  git(['init', '--quiet', '--initial-branch=main', work]);
  writeFileSync(join(work, 'README.md'), '# Seed\n');
  git(['add', 'README.md'], work);
  git(['commit', '--quiet', '-m', 'seed'], work);
  git(['push', '--quiet', bare, 'main'], work);
  return bare;
}

describe('session tools end to end', { timeout: 120_000 }, () => {
  let dataDir: string;
  let model: FakeModel;
  let platform: PlatformProcess;
  let ui: UiServer;
  let browser: Browser;
  let page: Page;
  let repository = '';
  let originalName = '';
  let cloneName = '';

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const downloadText = async (download: Download): Promise<string> => readFileSync((await download.path())!, 'utf8');
  const tab = (name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) });

  beforeAll(async () => {
    const executablePath = ensureChromium();
    const build = spawnSync(process.execPath, ['scripts/build-web-if-needed.mjs', '--strict'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (build.status !== 0) throw new Error(`building the web UI failed:\n${build.stdout}\n${build.stderr}`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'ambient-tools-e2e-'));
    repository = seedRepository(join(dataDir, 'git'));
    model = await startFakeModel();
    platform = await startPlatformProcess({
      AMBIENT_DATA_DIR: join(dataDir, 'platform'),
      ANTHROPIC_API_KEY: 'test-key-not-real',
      ANTHROPIC_BASE_URL: model.url,
      AMBIENT_DEMO_MODEL: 'off',
      AMBIENT_WEB_DIR: WEB_OUT,
    });
    ui = await uiServerFor(platform.url, WEB_OUT);
    browser = await launchChromium(executablePath);
    page = await browser.newPage({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    page.setDefaultTimeout(30_000);
    const created = await fetch(`${platform.url}/api/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: PROJECT, displayName: 'Session tools' }),
    });
    expect(created.status).toBe(201);
  }, 420_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) {
      await shot(`failed-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.close();
    await platform?.stop();
    await model?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts a session on a git repository whose agent writes two files', async () => {
    await page.goto(`${ui.url}/signin/`);
    await page.getByLabel('Token').fill(platform.token);
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    await page.waitForURL(/\/projects\/$/);
    await page.goto(`${ui.url}/project/?name=${PROJECT}&section=sessions`);
    await page.getByRole('button', { name: 'New session' }).click();
    await page.getByLabel('Prompt').fill(PROMPT);
    await page.getByLabel('Display name (optional)').fill(DISPLAY_NAME);
    await page.getByRole('button', { name: 'Add repository' }).click();
    await page.getByLabel('Repository 1 URL').fill(repository);
    await page.getByLabel('Push when done').check();
    await page.getByRole('button', { name: 'Start session' }).click();
    await page.waitForURL(/\/session\/\?project=tools-e2e&name=session-/);
    originalName = new URL(page.url()).searchParams.get('name') ?? '';
    await page.locator('li[data-role="assistant"]', { hasText: 'Done.' }).waitFor({ timeout: 90_000 });
    await expect(tab('Chat').getAttribute('aria-selected')).resolves.toBe('true');
  });

  it('browses the workspace: folders first, breadcrumbs, a file in the viewer, a download', async () => {
    // Keyboard: the arrow key moves from the Chat tab to the Files tab and shows it.
    await tab('Chat').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/tab=files/);
    await page.locator('[role="tab"][aria-selected="true"]', { hasText: 'Files' }).waitFor();
    const files = page.getByRole('region', { name: 'Workspace files' });
    await files.getByRole('button', { name: 'repos, folder' }).click();
    await files.getByRole('button', { name: 'seed, folder' }).click();
    const path = page.getByRole('navigation', { name: 'Folder path' });
    await path.locator('[aria-current="location"]', { hasText: 'seed' }).waitFor();
    await files.getByRole('button', { name: 'report.md' }).waitFor();
    // Folders (.git, docs) come before files (README.md, report.md).
    const kinds = await files.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-entry-type')));
    expect(kinds.indexOf('file')).toBeGreaterThan(kinds.lastIndexOf('directory'));
    const names = await files.locator('tbody tr td:first-child button').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')));
    expect(names).toEqual(expect.arrayContaining(['docs, folder', 'README.md', 'report.md']));

    await files.getByRole('button', { name: 'report.md' }).click();
    const contents = page.getByRole('region', { name: 'Contents of report.md' });
    await expect(contents.textContent()).resolves.toContain('# Weekly report');
    await expect(contents.textContent()).resolves.toContain('- second item');
    await expect(page.getByTestId('line-numbers').textContent()).resolves.toBe('1\n2\n3\n4');
    await shot('11-session-files');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report.md' }).click()]);
    expect(download.suggestedFilename()).toBe('report.md');
    await expect(downloadText(download)).resolves.toBe('# Weekly report\n\n- first item\n- second item\n');

    await files.getByRole('button', { name: 'docs, folder' }).click();
    await files.getByRole('button', { name: 'guide.txt' }).click();
    await expect(page.getByRole('region', { name: 'Contents of guide.txt' }).textContent()).resolves.toContain('step one\nstep two');
    // The breadcrumbs lead back up; a reload keeps the Files tab (it is in the URL).
    await path.getByRole('button', { name: 'workspace' }).click();
    await files.getByRole('button', { name: 'artifacts, folder' }).waitFor();
    await page.reload();
    await page.locator('[role="tab"][aria-selected="true"]', { hasText: 'Files' }).waitFor();
    await page.getByRole('region', { name: 'Workspace files' }).getByRole('button', { name: 'repos, folder' }).waitFor();
  });

  it('shows the repository the runner cloned, with its branch and push setting', async () => {
    await tab('Repos').click();
    const repo = page.getByRole('list', { name: 'Repositories' }).getByRole('listitem');
    await repo.locator('[data-repo-status="Ready"]').waitFor();
    await expect(repo.textContent()).resolves.toContain(repository);
    await expect(repo.textContent()).resolves.toContain(`ambient/${originalName}`);
    await expect(repo.getByText('Yes', { exact: true }).count()).resolves.toBe(1);
    await page.getByRole('button', { name: /theme/ }).click(); // system → light
    await page.getByRole('button', { name: /theme/ }).click(); // light → dark
    await shot('12-session-repos-dark');
    await tab('Files').click();
    const files = page.getByRole('region', { name: 'Workspace files' });
    await files.getByRole('button', { name: 'repos, folder' }).click();
    await files.getByRole('button', { name: 'seed, folder' }).click();
    await files.getByRole('button', { name: 'report.md' }).click();
    await page.getByRole('region', { name: 'Contents of report.md' }).waitFor();
    await shot('13-session-files-dark');
    await page.getByRole('button', { name: /theme/ }).click(); // back to the system theme
  });

  it('exports the transcript as Markdown and as JSON', async () => {
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Export ${DISPLAY_NAME}` });
    await shot('14-session-export');
    const [markdown] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download Markdown' }).click()]);
    expect(markdown.suggestedFilename()).toBe(`${originalName}.md`);
    const transcript = await downloadText(markdown);
    expect(transcript).toContain('WRITE_FILE report.md');
    expect(transcript).toContain('Done.');
    await dialog.getByText(`Saved ${originalName}.md.`).waitFor();

    const [json] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download JSON' }).click()]);
    expect(json.suggestedFilename()).toBe(`${originalName}.json`);
    const exported = JSON.parse(await downloadText(json)) as { session: { metadata: { name: string } }; events: { seq: number; type: string }[] };
    expect(exported.session.metadata.name).toBe(originalName);
    expect(exported.events.length).toBeGreaterThan(3);
    expect(exported.events.map((event) => event.seq)).toEqual([...exported.events.map((event) => event.seq)].sort((a, b) => a - b));
    await dialog.getByRole('button', { name: 'Close' }).first().click();
  });

  it('clones the session and opens the copy', async () => {
    await page.getByRole('button', { name: 'Clone', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Clone ${DISPLAY_NAME}` });
    await dialog.getByLabel('Display name (optional)').fill(CLONE_NAME);
    await expect(dialog.getByLabel('Project').inputValue()).resolves.toBe(PROJECT);
    await shot('15-session-clone-dialog');
    await dialog.getByRole('button', { name: 'Clone session' }).click();
    await page.waitForURL((url) => url.searchParams.get('name') !== originalName && url.pathname === '/session/');
    cloneName = new URL(page.url()).searchParams.get('name') ?? '';
    expect(cloneName).toMatch(/^session-/);
    await page.getByRole('heading', { level: 1, name: CLONE_NAME }).waitFor();
    // The copy runs the same prompt on the same repository.
    await page.locator('li[data-role="assistant"]', { hasText: 'Done.' }).waitFor({ timeout: 90_000 });
    await expect(page.locator('li[data-role="user"]').first().textContent()).resolves.toContain('WRITE_FILE report.md');
    await shot('16-session-cloned');
  });

  it('deletes the copy after confirming and returns to the project, the original still listed', async () => {
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Delete session ${CLONE_NAME}?` });
    await shot('17-session-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(/\/project\/\?name=tools-e2e&section=sessions/);
    await page.getByRole('link', { name: DISPLAY_NAME, exact: true }).waitFor();
    await expect(page.getByRole('link', { name: CLONE_NAME }).count()).resolves.toBe(0);
    const gone = await fetch(`${platform.url}/api/projects/${PROJECT}/agentic-sessions/${cloneName}`, { headers: { authorization: `Bearer ${platform.token}` } });
    expect(gone.status).toBe(404);
    await shot('18-project-after-delete');
  });
});
