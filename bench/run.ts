/** `npm run bench`: prints figures and ratios measured in one run. Nothing here asserts. */
import { benchClusterScale } from './cluster-scale.bench.ts';
import { benchEventLog } from './event-log.bench.ts';
import { benchReconnect } from './reconnect.bench.ts';
import { benchSessionApi } from './session-api.bench.ts';
import { benchSessionStart } from './session-start.bench.ts';
import { benchSseFanout } from './sse-fanout.bench.ts';

const selected = new Set(process.argv.slice(2));
const all: [string, () => Promise<void>][] = [
  ['event-log', benchEventLog],
  ['sse-fanout', benchSseFanout],
  ['reconnect', benchReconnect],
  ['session-start', benchSessionStart],
  ['session-api', benchSessionApi],
  ['cluster-scale', benchClusterScale],
];

for (const [name, run] of all) {
  if (selected.size > 0 && !selected.has(name)) continue;
  console.log(`\n== ${name}`);
  await run();
}
