/**
 * `npm start`: the whole platform on one machine. Uses ANTHROPIC_API_KEY when set; otherwise starts
 * the project's offline demo model (clearly labelled: it is not Claude).
 */
import { startFakeModel } from '@ambient/fake-model';
import { loadConfig } from './config.ts';
import { startEmbeddedPlatform } from './platform.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  let model: { apiKey?: string; baseUrl?: string } = {
    apiKey: config.anthropicApiKey,
    baseUrl: config.anthropicBaseUrl,
  };
  let stopDemoModel: (() => Promise<void>) | undefined;
  const useDemo = config.demoModel === 'on' || (config.demoModel === 'auto' && !config.anthropicApiKey);
  if (useDemo) {
    const demo = await startFakeModel({ port: 0 });
    stopDemoModel = () => demo.close();
    model = { apiKey: 'offline-demo-model', baseUrl: demo.url };
    console.log(`\n  OFFLINE DEMO MODEL at ${demo.url}: sessions talk to a scripted fake, not to Claude.`);
    console.log('  Set ANTHROPIC_API_KEY (and optionally ANTHROPIC_BASE_URL) to use a real model.\n');
  }
  const platform = await startEmbeddedPlatform(config, model);
  console.log(`Ambient Code Platform (embedded) listening on ${platform.url}`);
  console.log(`Data directory: ${config.dataDir}`);
  if (config.adminTokenGenerated) {
    console.log(`Admin token (shown once; also saved to ${config.dataDir}/admin-token):\n  ${config.adminToken}`);
  } else {
    console.log(`Admin token: see ${config.dataDir}/admin-token or $AMBIENT_ADMIN_TOKEN`);
  }

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping runners and the server…`);
    await platform.close();
    await stopDemoModel?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
