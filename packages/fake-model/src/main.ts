/**
 * Offline demo model: `npx tsx packages/fake-model/src/main.ts`.
 *
 * The platform starts this when no ANTHROPIC_API_KEY is configured, and points Claude Code at it
 * with ANTHROPIC_BASE_URL. The banner is loud on purpose: nobody should mistake its scripted
 * replies for Claude.
 */
import { startFakeModel } from './server.ts';

const port = Number.parseInt(process.env.FAKE_MODEL_PORT ?? '0', 10);
const host = process.env.FAKE_MODEL_HOST ?? '127.0.0.1';

const fake = await startFakeModel({ port: Number.isNaN(port) ? 0 : port, host });

process.stdout.write(
  [
    '==================================================================',
    ' OFFLINE DEMO MODEL - this is NOT Claude.',
    ' Replies are scripted by @ambient/fake-model for demos and tests.',
    ' Prompt markers: WRITE_FILE <path> <content>, RUN_BASH <command>,',
    '   SLOW_TEXT <n>, FAIL_529, FAIL_529_ONCE, BROKEN_STREAM.',
    ` Listening on ${fake.url}  (set ANTHROPIC_BASE_URL to this URL)`,
    '==================================================================',
    '',
  ].join('\n'),
);
// Machine-readable line for whoever spawned us with FAKE_MODEL_PORT=0.
process.stdout.write(`FAKE_MODEL_URL=${fake.url}\n`);

function shutdown(): void {
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
