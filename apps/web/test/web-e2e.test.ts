/**
 * The web UI end to end, with real parts: the exported UI built by scripts/build-web-if-needed.mjs,
 * the platform process (as `npm start` runs it) with the real Claude Code CLI and the project's fake
 * model, and Debian's Chromium driven by playwright-core. A person's path through the UI: sign in
 * with the admin token, create a project, start a session that writes a file, watch text and the
 * tool call arrive, send a follow-up, see a Markdown reply rendered safely, interrupt a long answer,
 * reload in the middle of a streamed answer and find every message exactly once (reading the
 * windowed list by scrolling it) with the interrupted run still marked, stop the session, see the
 * project's session list follow the project event stream, then share the project with a group,
 * set a runner secret (its value never comes back) and create an access key that is shown once. Screenshots of each main page
 * land in test/screenshots/ for a human to look at.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, Route } from 'playwright-core';
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
const PROJECT = 'web-e2e';
const FIRST_PROMPT = 'WRITE_FILE notes.txt hi';
const FOLLOW_UP = 'What did you write?';
/** The fake model echoes it, so its reply is Markdown the chat must render (and the user's stays as typed). */
/** (It echoes the first 80 characters.) */
const MARKDOWN_PROMPT = '**bold**, `code`, [a link](https://example.com/docs) and <b>no html</b>';
const RUNNER_SECRET = 'sk-ant-e2e-must-never-be-shown';

/** One message of the conversation as the page showed it (see readConversation). */
interface ConversationRow {
  position: number;
  id: string;
  role: string;
  text: string;
  toolCalls: string[];
}

describe('web UI end to end', { timeout: 120_000 }, () => {
  let dataDir: string;
  let model: FakeModel;
  let platform: PlatformProcess;
  let ui: UiServer;
  let browser: Browser;
  let page: Page;
  let sessionUrl = '';

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const messages = (role: string) => page.locator(`li[data-role="${role}"]`);

  /**
   * Every message of the conversation, read by scrolling it from top to bottom: the list is
   * windowed, so only rows near the viewport are in the DOM at any moment. Each row says its
   * position (aria-posinset) and the list its total (data-message-count); a position seen with two
   * different messages fails here. Ends scrolled back to the newest message.
   */
  async function readConversation(): Promise<{ count: number; messages: ConversationRow[] }> {
    return page.getByRole('region', { name: 'Conversation' }).evaluate(async (region) => {
      // (This test's TypeScript setup has no DOM globals; the page has them.)
      const { requestAnimationFrame: onFrame } = globalThis as unknown as { requestAnimationFrame: (callback: () => void) => number };
      const nextFrames = () => new Promise<void>((resolve) => onFrame(() => onFrame(resolve)));
      const count = Number(region.querySelector('ol[data-message-count]')?.getAttribute('data-message-count'));
      const byPosition = new Map<number, ConversationRow>();
      const collect = (): void => {
        for (const item of region.querySelectorAll('li[data-message-id]')) {
          const row = {
            position: Number(item.getAttribute('aria-posinset')),
            id: item.getAttribute('data-message-id') ?? '',
            role: item.getAttribute('data-role') ?? '',
            text: item.textContent ?? '',
            toolCalls: [...item.querySelectorAll('[data-tool-call]')].map((call) => call.getAttribute('data-tool-call') ?? ''),
          };
          const seen = byPosition.get(row.position);
          if (seen && seen.id !== row.id) throw new Error(`position ${row.position} showed ${seen.id} and ${row.id}`);
          byPosition.set(row.position, row);
        }
      };
      region.scrollTop = 0;
      await nextFrames();
      for (let step = 0; step < 1_000; step += 1) {
        collect();
        if (region.scrollTop + region.clientHeight >= region.scrollHeight - 1) break;
        region.scrollTop += region.clientHeight / 2;
        await nextFrames();
      }
      // Back to the newest message; rows measured on the way down may still move the end a little.
      for (let settled = 0, step = 0; settled < 3 && step < 50; step += 1) {
        region.scrollTop = region.scrollHeight;
        await nextFrames();
        settled = region.scrollHeight - region.scrollTop - region.clientHeight < 1 ? settled + 1 : 0;
      }
      return { count, messages: [...byPosition.values()].sort((a, b) => a.position - b.position) };
    });
  }

  beforeAll(async () => {
    const executablePath = ensureChromium();
    const build = spawnSync(process.execPath, ['scripts/build-web-if-needed.mjs', '--strict'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (build.status !== 0) throw new Error(`building the web UI failed:\n${build.stdout}\n${build.stderr}`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'ambient-web-e2e-'));
    model = await startFakeModel();
    platform = await startPlatformProcess({
      AMBIENT_DATA_DIR: dataDir,
      ANTHROPIC_API_KEY: 'test-key-not-real',
      ANTHROPIC_BASE_URL: model.url,
      AMBIENT_DEMO_MODEL: 'off',
      AMBIENT_WEB_DIR: WEB_OUT,
    });
    ui = await uiServerFor(platform.url, WEB_OUT);
    if (!ui.servedByPlatform) console.warn('web e2e: the platform does not serve the UI yet; using the same-origin stand-in (test/ui-server.ts)');
    browser = await launchChromium(executablePath);
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(30_000);
  }, 420_000);

  // A failed step leaves a picture of the page behind: usually faster to read than the trace.
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

  it('signs in with the admin token after being sent to the sign-in page', async () => {
    await page.goto(`${ui.url}/projects/`);
    await page.waitForURL(/\/signin\/\?next=%2Fprojects%2F/);
    await page.getByLabel('Token').fill('not-the-token-0123456789');
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    await page.getByRole('alert').filter({ hasText: 'does not accept this token' }).waitFor();
    await page.getByLabel('Token').fill(platform.token);
    await shot('01-signin');
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    await page.waitForURL(/\/projects\/$/);
    await page.getByText('No projects yet').waitFor();
  });

  it('creates a project from the projects list', async () => {
    await page.getByRole('button', { name: 'New project' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill(PROJECT);
    await page.getByLabel('Display name (optional)').fill('Web end-to-end');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/project\/\?name=web-e2e/);
    await page.getByText('No sessions yet').waitFor();
    await page.goto(`${ui.url}/projects/`);
    await page.getByRole('link', { name: /Web end-to-end/ }).waitFor();
    await shot('02-projects');
    await page.getByRole('link', { name: /Web end-to-end/ }).click();
    await page.waitForURL(/\/project\/\?name=web-e2e&section=sessions/);
  });

  it('starts a session and shows its streamed text and the Write tool call live', async () => {
    await page.getByRole('button', { name: 'New session' }).click();
    await page.getByLabel('Prompt').fill(FIRST_PROMPT);
    await page.getByLabel('Display name (optional)').fill('Notes writer');
    await shot('03-new-session-dialog');
    await page.getByRole('button', { name: 'Start session' }).click();
    await page.waitForURL(/\/session\/\?project=web-e2e&name=session-/);
    sessionUrl = page.url();
    const toolCall = page.getByRole('button', { name: /^Write/ });
    await toolCall.waitFor({ timeout: 60_000 });
    await expect(toolCall.textContent()).resolves.toContain('notes.txt');
    await page.locator('li[data-role="assistant"]', { hasText: 'Done.' }).waitFor({ timeout: 60_000 });
    await toolCall.click();
    await page.getByText(/"content": "hi"/).waitFor();
    await page.locator('[data-connection="live"]').waitFor();
    await expect(messages('user').filter({ hasText: FIRST_PROMPT }).count()).resolves.toBe(1);
    await shot('04-session-chat');
  });

  it('sends a follow-up and shows the answer', async () => {
    await page.getByLabel('Message to the agent').fill(FOLLOW_UP);
    await page.keyboard.press('Enter');
    await page.getByText(`Fake model reply to: ${FOLLOW_UP}`).waitFor({ timeout: 60_000 });
    await expect(page.getByLabel('Message to the agent').inputValue()).resolves.toBe('');
  });

  it('renders the agent’s Markdown, safely: links open in a new tab, raw HTML is dropped', async () => {
    await page.getByLabel('Message to the agent').fill(MARKDOWN_PROMPT);
    await page.keyboard.press('Enter');
    const reply = page.locator('li[data-role="assistant"]', { hasText: 'Fake model reply to: bold' });
    await reply.locator('strong', { hasText: 'bold' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Interrupt' }).waitFor({ state: 'detached', timeout: 30_000 });
    await expect(reply.textContent()).resolves.toMatch(/and no html$/);
    await expect(reply.locator('code', { hasText: 'code' }).count()).resolves.toBe(1);
    const link = reply.getByRole('link', { name: 'a link' });
    await expect(link.getAttribute('href')).resolves.toBe('https://example.com/docs');
    await expect(link.getAttribute('target')).resolves.toBe('_blank');
    await expect(link.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    await expect(reply.locator('b').count()).resolves.toBe(0);
    await expect(messages('user').filter({ hasText: MARKDOWN_PROMPT }).count()).resolves.toBe(1);
    await shot('04b-session-markdown');
  });

  it('interrupts a long streamed answer and keeps the session usable', async () => {
    await page.getByLabel('Message to the agent').fill('SLOW_TEXT 300');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText(/word5\b/).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Interrupt' }).click();
    await page.getByRole('button', { name: 'Interrupt' }).waitFor({ state: 'detached', timeout: 30_000 });
    const interrupted = (await page.locator('li[data-role="assistant"]', { hasText: 'word5' }).textContent()) ?? '';
    expect(interrupted).not.toContain('word300');
    await page.locator('li[data-role="notice"]', { hasText: 'Interrupted' }).waitFor();
    await expect(page.getByLabel('Message to the agent').isEnabled()).resolves.toBe(true);
  });

  it('reloads in the middle of a streamed answer and shows every message exactly once, the interrupted run still marked', async () => {
    await page.getByLabel('Message to the agent').fill('SLOW_TEXT 80');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText(/word8\b/).waitFor({ timeout: 60_000 });
    await page.reload();
    await page.locator('li[data-role="assistant"]', { hasText: 'word80' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Interrupt' }).waitFor({ state: 'detached', timeout: 30_000 });
    const { count, messages: rows } = await readConversation();
    // Every position from 1 to the total was shown, each by one message, and no message twice.
    expect(rows.map((row) => row.position)).toEqual(Array.from({ length: count }, (_, index) => index + 1));
    expect(new Set(rows.map((row) => row.id)).size).toBe(count);
    const userTexts = rows.filter((row) => row.role === 'user').map((row) => row.text.replace(/^You: /, ''));
    expect(userTexts).toEqual([FIRST_PROMPT, FOLLOW_UP, MARKDOWN_PROMPT, 'SLOW_TEXT 300', 'SLOW_TEXT 80']);
    expect(rows.filter((row) => row.text.includes(`Fake model reply to: ${FOLLOW_UP}`))).toHaveLength(1);
    expect(rows.filter((row) => row.role === 'assistant' && row.text.includes('word80'))).toHaveLength(1);
    expect(rows.flatMap((row) => row.toolCalls).filter((name) => name === 'Write')).toHaveLength(1);
    // The interrupted run (compacted into the snapshot by now) keeps its marker, right after its answer.
    const marker = rows.findIndex((row) => row.role === 'notice' && row.text === 'Interrupted');
    expect(rows.filter((row) => row.role === 'notice' && row.text === 'Interrupted')).toHaveLength(1);
    expect(rows[marker - 1]?.text).toContain('word5');
    expect(rows[marker + 1]?.text).toContain('SLOW_TEXT 80');
  });

  it('stops the session and shows it stopped, in the chat and in the project list', async () => {
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.locator('[data-phase="Stopped"]').first().waitFor({ timeout: 60_000 });
    await expect(page.getByLabel('Message to the agent').isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: /theme/ }).click(); // system → light
    await page.getByRole('button', { name: /theme/ }).click(); // light → dark
    // The chat follows the newest output: its scroller stays at the bottom even as the header grows.
    const gap = await page.getByRole('region', { name: 'Conversation' }).evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);
    expect(gap).toBeLessThan(2);
    await shot('05-session-stopped-dark');
    await page.getByRole('button', { name: /theme/ }).click(); // back to the system theme
    await page.goto(`${ui.url}/project/?name=${PROJECT}&section=sessions`);
    const row = page.getByRole('row', { name: /Notes writer/ });
    await row.locator('[data-phase="Stopped"]').waitFor();
    await expect(row.textContent()).resolves.toMatch(/\$\d/);
    await shot('06-project-sessions');
    expect(sessionUrl).toContain('name=session-');
  });

  it('follows the project stream: a session created and deleted elsewhere comes and goes without a reload', async () => {
    // Hold every list request: rows can then only change through the project event stream.
    const held: Route[] = [];
    const listUrl = `**/api/projects/${PROJECT}/agentic-sessions`;
    await page.route(listUrl, (route) => void held.push(route));
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${platform.url}/api/projects/${PROJECT}${path}`, {
        method,
        headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    try {
      const created = await api('POST', '/agentic-sessions', { displayName: 'Made elsewhere', interactive: true });
      expect(created.status).toBe(201);
      const { name } = (await created.json()) as { name: string };
      const row = page.getByRole('row', { name: /Made elsewhere/ });
      await row.waitFor();
      await shot('06b-project-sessions-live');
      expect((await api('DELETE', `/agentic-sessions/${name}`)).status).toBe(204);
      await row.waitFor({ state: 'detached' });
      await page.getByRole('row', { name: /Notes writer/ }).waitFor();
    } finally {
      await page.unroute(listUrl);
      for (const route of held) await route.continue().catch(() => undefined);
    }
  });

  it('shares with a group, sets a runner secret without showing it, and shows a new access key once', async () => {
    await page.goto(`${ui.url}/project/?name=${PROJECT}&section=sharing`);
    await page.getByRole('button', { name: 'Add access' }).click();
    await page.getByLabel('Subject type').selectOption('group');
    await page.getByLabel('Group name').fill('reviewers');
    await page.getByLabel('Role').selectOption('view');
    await page.getByRole('button', { name: 'Grant access' }).click();
    const grant = page.getByRole('row', { name: /reviewers/ });
    await grant.waitFor();
    await expect(grant.textContent()).resolves.toMatch(/Group.*view/);
    await shot('07-project-sharing');

    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Default model').fill('claude-e2e-model');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const runner = page.getByRole('region', { name: 'Runner secrets' });
    await runner.getByLabel('Key').fill('ANTHROPIC_API_KEY');
    await runner.getByLabel('Value').fill(RUNNER_SECRET);
    await runner.getByRole('button', { name: 'Save key' }).click();
    await runner.getByText('ANTHROPIC_API_KEY saved.').waitFor();
    await runner.getByRole('cell', { name: 'ANTHROPIC_API_KEY', exact: true }).waitFor();
    expect(await page.content()).not.toContain(RUNNER_SECRET);
    await page.reload();
    await page.getByRole('region', { name: 'Runner secrets' }).getByRole('cell', { name: 'ANTHROPIC_API_KEY', exact: true }).waitFor();
    await expect(page.getByLabel('Default model').inputValue()).resolves.toBe('claude-e2e-model');
    expect(await page.content()).not.toContain(RUNNER_SECRET);
    await shot('08-project-settings');

    await page.getByRole('link', { name: 'Access keys', exact: true }).click();
    await page.getByRole('button', { name: 'New access key' }).click();
    await page.getByLabel('Name', { exact: true }).fill('e2e-pipeline');
    await page.getByLabel('Role').selectOption('view');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByLabel('Access key', { exact: true }).inputValue();
    expect(key.length).toBeGreaterThan(16);
    await page.getByText(/only time the key/).waitFor();
    await shot('09-access-key-created');
    await page.getByRole('button', { name: 'I have copied the key' }).click();
    await page.getByRole('row', { name: /e2e-pipeline/ }).waitFor();
    expect(await page.content()).not.toContain(key);
    // The key shown once is a working bearer token for this project.
    const access = await fetch(`${platform.url}/api/projects/${PROJECT}/access`, { headers: { authorization: `Bearer ${key}` } });
    expect(access.status).toBe(200);
    await shot('10-project-access-keys');
  });

  it('answers an unknown page with the 404 page', async () => {
    const response = await page.goto(`${ui.url}/no-such-page/`);
    expect(response?.status()).toBe(404);
    await page.getByText('Page not found').waitFor();
  });
});
