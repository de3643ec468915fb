/**
 * The files kube-apiserver and the controllers need: a service-account signing keypair, a static
 * token file (token authentication keeps the test cluster free of client certificates), and an
 * admin kubeconfig for the controller-manager, the scheduler and kubectl.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { TestClusterUser } from './cluster-connection.ts';

export const ADMIN_USER_NAME = 'ambient-test-admin';

export interface ServiceAccountKeyFiles {
  privateKeyPath: string;
  publicKeyPath: string;
}

export function writeServiceAccountKeys(directory: string): ServiceAccountKeyFiles {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const privateKeyPath = join(directory, 'service-account.key');
  const publicKeyPath = join(directory, 'service-account.pub');
  writeFileSync(privateKeyPath, privateKey, { mode: 0o600 });
  writeFileSync(publicKeyPath, publicKey);
  return { privateKeyPath, publicKeyPath };
}

export function randomToken(): string {
  return randomBytes(24).toString('hex');
}

/**
 * The `--token-auth-file` format: `token,user,uid,"group1,group2"`. The groups column is left out
 * for a user without groups: an empty quoted column would give them the group "".
 */
export function writeTokenFile(path: string, users: TestClusterUser[]): void {
  for (const user of users) {
    if (/[,"\n]/.test(user.name + user.token + user.groups.join(''))) {
      throw new Error(
        `test user "${user.name}": names, tokens and groups must not contain , " or newlines`,
      );
    }
  }
  const lines = users.map(
    (user) => `${user.token},${user.name},${user.name}` + (user.groups.length > 0 ? `,"${user.groups.join(',')}"` : ''),
  );
  writeFileSync(path, lines.join('\n') + '\n', { mode: 0o600 });
}

export function writeKubeconfig(path: string, server: string, caData: string, token: string): void {
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'ambient-test', cluster: { server, 'certificate-authority-data': caData } }],
    users: [{ name: ADMIN_USER_NAME, user: { token } }],
    contexts: [
      { name: 'ambient-test', context: { cluster: 'ambient-test', user: ADMIN_USER_NAME } },
    ],
    'current-context': 'ambient-test',
  };
  writeFileSync(path, stringify(kubeconfig), { mode: 0o600 });
}

export interface ServingCertificateFiles {
  certificatePath: string;
  keyPath: string;
  /** Base64 of the certificate PEM: it is self-signed, so it is its own CA. */
  caData: string;
}

/**
 * A self-signed serving certificate for 127.0.0.1 made up front (instead of the apiserver's
 * generated one) so the kubeconfig's CA is known before the apiserver starts.
 */
export function writeServingCertificate(directory: string): ServingCertificateFiles {
  const certificatePath = join(directory, 'apiserver.crt');
  const keyPath = join(directory, 'apiserver.key');
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '3650',
      '-keyout',
      keyPath,
      '-out',
      certificatePath,
      '-subj',
      '/CN=kube-apiserver',
      '-addext',
      'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc',
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(`openssl failed: ${result.stderr || result.error?.message}`);
  return { certificatePath, keyPath, caData: readFileSync(certificatePath).toString('base64') };
}
