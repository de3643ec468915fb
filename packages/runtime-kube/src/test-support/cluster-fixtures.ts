/**
 * Test-only helpers: put the repository's manifests (generated CRDs, RBAC) onto a test cluster the
 * way `kubectl apply` would, and wait until the CRDs serve.
 */
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import {
  ApiextensionsV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  loadAllYaml,
} from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const CRD_DIRECTORY = path.join(REPOSITORY_ROOT, 'deploy/base/crds');
export const RBAC_DIRECTORY = path.join(REPOSITORY_ROOT, 'deploy/base/rbac');

/** Every object of every YAML file in `directory` (kustomization files excluded). */
export async function readManifests(directory: string): Promise<KubernetesObject[]> {
  const files = (await readdir(directory))
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
    .sort();
  const objects: KubernetesObject[] = [];
  for (const file of files) {
    const documents = loadAllYaml(await readFile(path.join(directory, file), 'utf8')) as unknown[];
    for (const document of documents) {
      if (document && typeof document === 'object') objects.push(document as KubernetesObject);
    }
  }
  return objects;
}

/** Server-side apply (create or update), so a shared cluster that already has them is fine. */
export async function applyManifests(
  kubeConfig: KubeConfig,
  objects: readonly KubernetesObject[],
): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  for (const object of objects) {
    await client.patch(
      object,
      undefined,
      undefined,
      'ambient-tests',
      true,
      PatchStrategy.ServerSideApply,
    );
  }
}

/** Applies deploy/base/crds and waits until every CRD is Established (served). */
export async function installCrds(kubeConfig: KubeConfig, timeoutMs = 30_000): Promise<void> {
  const crds = await readManifests(CRD_DIRECTORY);
  await applyManifests(kubeConfig, crds);
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    for (;;) {
      const current = await api.readCustomResourceDefinition({ name });
      const established = current.status?.conditions?.some(
        (condition) => condition.type === 'Established' && condition.status === 'True',
      );
      if (established) break;
      if (Date.now() > deadline)
        throw new Error(`CRD ${name} not Established after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Applies deploy/base/rbac (ClusterRoles, the operator's ServiceAccount and binding). */
export async function installRbac(kubeConfig: KubeConfig): Promise<KubernetesObject[]> {
  const objects = await readManifests(RBAC_DIRECTORY);
  await applyManifests(kubeConfig, objects);
  return objects;
}
