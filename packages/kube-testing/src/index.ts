export { startTestCluster } from './test-cluster.ts';
export type { StartTestClusterOptions, TestCluster } from './test-cluster.ts';
export { kubeConfigForToken, userToken } from './cluster-connection.ts';
export type { TestClusterConnection, TestClusterUser } from './cluster-connection.ts';
export {
  ensureKubeBinaries,
  kubeCacheDirectory,
  BUILD_SCRIPT_PATH,
  KUBE_VERSION,
} from './kube-binaries.ts';
export type { KubeBinaries } from './kube-binaries.ts';
export { startProcessKubelet } from './process-kubelet.ts';
export type { ProcessKubelet, ProcessKubeletOptions } from './process-kubelet.ts';
export {
  createTestNamespace,
  pinNamespaceToNode,
  pinnedNamespaceAnnotations,
  waitForDefaultServiceAccount,
} from './test-namespaces.ts';
export type { TestNamespace, TestNamespaceOptions } from './test-namespaces.ts';
export { DEDICATED_NODE_KEY } from './kubelet/node-registration.ts';
export { waitUntil } from './https-probe.ts';
