/**
 * A leader-election candidate in its own process, so a test can kill it with SIGKILL (no release,
 * no goodbye) and watch another candidate take over. Prints `leading` / `stopped-leading` lines.
 * Run: node --import tsx leader-elector-process.ts (settings in the environment, see below).
 */
import { KubeConfig } from '@kubernetes/client-node';
import { LeaderElector } from '../leader-elector.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const kubeConfig = new KubeConfig();
kubeConfig.loadFromOptions({
  clusters: [{ name: 'test', server: required('KUBE_SERVER'), caData: required('KUBE_CA_DATA') }],
  users: [{ name: 'candidate', token: required('KUBE_TOKEN') }],
  contexts: [{ name: 'test', cluster: 'test', user: 'candidate' }],
  currentContext: 'test',
});

const elector = new LeaderElector({
  kubeConfig,
  namespace: required('LEASE_NAMESPACE'),
  leaseName: required('LEASE_NAME'),
  identity: required('LEASE_IDENTITY'),
  leaseDurationMs: Number(required('LEASE_DURATION_MS')),
  renewDeadlineMs: Number(required('RENEW_DEADLINE_MS')),
  retryPeriodMs: Number(required('RETRY_PERIOD_MS')),
  onStartedLeading: () => process.stdout.write('leading\n'),
  onStoppedLeading: () => process.stdout.write('stopped-leading\n'),
});
elector.start();
process.stdout.write('started\n');
process.on('SIGTERM', () => {
  void elector.stop().then(() => process.exit(0));
});
