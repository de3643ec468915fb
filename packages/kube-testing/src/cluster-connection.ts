/**
 * How to reach a running test cluster, as plain data: the global setup passes it to test files
 * (vitest `provide`/`inject` serialises it), and test files turn it into client-node KubeConfigs.
 */
import { KubeConfig } from '@kubernetes/client-node';

export interface TestClusterUser {
  name: string;
  token: string;
  groups: string[];
}

export interface TestClusterConnection {
  /** `https://127.0.0.1:<port>` */
  server: string;
  /** Base64 PEM of the apiserver's self-signed serving certificate and its CA. */
  caData: string;
  adminToken: string;
  /** An admin kubeconfig file (works with kubectl too). */
  kubeconfigPath: string;
  /** The named test users from `options.users`, with their tokens. */
  users: TestClusterUser[];
}

/** A KubeConfig that authenticates with `token` (any token from the token file). */
export function kubeConfigForToken(
  connection: TestClusterConnection,
  token: string,
  userName = 'test-user',
): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'ambient-test', server: connection.server, caData: connection.caData }],
    users: [{ name: userName, token }],
    contexts: [{ name: 'ambient-test', cluster: 'ambient-test', user: userName }],
    currentContext: 'ambient-test',
  });
  return kubeConfig;
}

export function userToken(connection: TestClusterConnection, name: string): string {
  const user = connection.users.find((candidate) => candidate.name === name);
  if (!user)
    throw new Error(
      `no test user "${name}" (known: ${connection.users.map((u) => u.name).join(', ')})`,
    );
  return user.token;
}
