/**
 * The operator in its own process, so a test can kill it with SIGKILL in the middle of its work:
 * no graceful shutdown, no Lease release, reconciles cut off between any two API calls.
 * Configuration: the operator's usual environment (cluster-config.ts) plus KUBE_SERVER, KUBE_CA_DATA
 * and KUBE_TOKEN (the operator ServiceAccount's token). Prints `leading` once it leads.
 * Run: node --import tsx operator-process.ts
 */
import { KubeConfig } from '@kubernetes/client-node';
import { loadOperatorConfig } from '../../src/cluster-config.ts';
import { startOperator } from '../../src/main-operator.ts';
import { TEST_LEASE_TIMINGS } from './operator-process-handle.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const kubeConfig = new KubeConfig();
kubeConfig.loadFromOptions({
  clusters: [{ name: 'test', server: required('KUBE_SERVER'), caData: required('KUBE_CA_DATA') }],
  users: [{ name: 'operator', token: required('KUBE_TOKEN') }],
  contexts: [{ name: 'test', cluster: 'test', user: 'operator' }],
  currentContext: 'test',
});

const operator = await startOperator(loadOperatorConfig(process.env), { kubeConfig, ...TEST_LEASE_TIMINGS });
const announce = setInterval(() => {
  if (!operator.isLeading()) return;
  clearInterval(announce);
  process.stdout.write('leading\n');
}, 50);
process.on('SIGTERM', () => {
  void operator.close().then(() => process.exit(0));
});
