/**
 * Every overlay in deploy/overlays renders with `kubectl kustomize` and passes
 * `kubectl apply --dry-run=server` against the real kube-apiserver 1.20 of the tests: API versions
 * the server serves, schemas (CRDs included), admission. The CRDs are applied for real first (the
 * base carries them, but a dry-run cannot make a kind known), and so is the `ambient-code`
 * namespace (a dry-run Namespace does not exist for the objects in it).
 *
 * OpenShift's Route is not a kind of plain Kubernetes: for the openshift overlay a minimal Route CRD
 * stub (schema-less, `route.openshift.io/v1`) is installed first, so the dry-run checks everything
 * else in that overlay; the Route's own fields are checked by OpenShift only.
 */
import { readFileSync } from 'node:fs';
import { loadAllYaml } from '@kubernetes/client-node';
import type { V1Deployment, V1Ingress, V1Service } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireTestCluster, kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import type { AcquiredTestCluster } from '@ambient/kube-testing/shared-cluster';
import {
  DEPLOY_DIRECTORY,
  installPlatformCrds,
  kubectl,
  REPOSITORY_ROOT,
} from './workload-test-support.ts';

const OVERLAYS = ['kubernetes', 'openshift', 'local-dev'];
const PLATFORM_NAMESPACE = 'ambient-code';
/** Everything the manifests may use: long-stable APIs Kubernetes 1.20 serves (and OpenShift's Route). */
const ALLOWED_API_VERSIONS = new Set([
  'v1',
  'apps/v1',
  'batch/v1',
  'rbac.authorization.k8s.io/v1',
  'apiextensions.k8s.io/v1',
  'networking.k8s.io/v1',
  'route.openshift.io/v1',
]);

const ROUTE_CRD_STUB = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: routes.route.openshift.io
spec:
  group: route.openshift.io
  names: { kind: Route, listKind: RouteList, plural: routes, singular: route }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
`;

async function render(overlay: string): Promise<string> {
  const result = await kubectl(undefined, ['kustomize', `${DEPLOY_DIRECTORY}/overlays/${overlay}`]);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout;
}

function apiVersionsOf(manifests: string): string[] {
  return [...manifests.matchAll(/^apiVersion: (\S+)$/gm)].map((match) => match[1] ?? '');
}

describe('deploy overlays render', () => {
  it.each(OVERLAYS)(
    '%s renders with kubectl kustomize, within the allowed APIs',
    async (overlay) => {
      const manifests = await render(overlay);
      const versions = apiVersionsOf(manifests);
      expect(versions.length).toBeGreaterThan(15);
      expect(versions.filter((version) => !ALLOWED_API_VERSIONS.has(version))).toEqual([]);
      // Every workload of the platform runs as non-root without privilege escalation.
      expect(manifests).not.toMatch(/allowPrivilegeEscalation: true|privileged: true/);
      expect(manifests.match(/runAsNonRoot: true/g)?.length).toBeGreaterThanOrEqual(4);
    },
  );

  it('puts the OAuth proxy with --pass-access-token in front of the UI on OpenShift only', async () => {
    expect(await render('openshift')).toContain('--pass-access-token');
    expect(await render('kubernetes')).not.toContain('oauth-proxy');
  });
});

interface RenderedObject {
  kind: string;
  metadata: { name: string };
}

/** The rendered objects of an overlay, by kind and name. */
async function renderedObjects(overlay: string): Promise<(kind: string, name: string) => unknown> {
  const objects = loadAllYaml(await render(overlay)) as RenderedObject[];
  return (kind, name) => {
    const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
    expect(found, `${kind} ${name} in ${overlay}`).toBeDefined();
    return found;
  };
}

describe('the web UI (deploy/base/web, web-server.mjs) is wired to the API server', () => {
  it.each(OVERLAYS)('%s: API_UPSTREAM names the API Service, probes hit /healthz, and the container runs locked down', async (overlay) => {
    const find = await renderedObjects(overlay);
    const deployment = find('Deployment', 'ambient-web') as V1Deployment;
    const apiService = find('Service', 'ambient-api') as V1Service;
    const pod = deployment.spec!.template.spec!;
    const web = pod.containers.find((container) => container.name === 'web')!;
    const env = Object.fromEntries((web.env ?? []).map((variable) => [variable.name, variable.value]));
    const apiPort = apiService.spec!.ports!.find((port) => port.name === 'http')!.port;
    // web-server.mjs reads PORT and API_UPSTREAM; WEB_ROOT comes from the image (apps/web/Dockerfile).
    expect(env['API_UPSTREAM']).toBe(`http://ambient-api:${apiPort}`);
    const httpPort = web.ports!.find((port) => port.name === 'http')!;
    expect(String(httpPort.containerPort)).toBe(env['PORT']);
    for (const probe of [web.readinessProbe, web.livenessProbe]) {
      // /healthz is answered by the web server itself, so an API outage does not restart the UI.
      expect(probe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
    }
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(web.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    if (overlay !== 'openshift') {
      expect(pod.securityContext).toMatchObject({ runAsUser: 1001, runAsGroup: 1001 });
      expect(pod.automountServiceAccountToken).toBe(false); // the UI needs no API access of its own
    }
  });

  it.each(['kubernetes', 'local-dev'])('%s: the ambient-web Service reaches the web server', async (overlay) => {
    const find = await renderedObjects(overlay);
    const service = find('Service', 'ambient-web') as V1Service;
    expect(service.spec!.ports!.map((port) => port.targetPort)).toEqual(['http']);
    if (overlay === 'kubernetes') {
      const ingress = find('Ingress', 'ambient-web') as V1Ingress;
      const backend = ingress.spec!.rules![0]!.http!.paths[0]!.backend.service!;
      expect(backend).toEqual({ name: 'ambient-web', port: { name: 'http' } });
    }
  });

  it('openshift: the Route reaches the OAuth proxy, which forwards to the web server with the user token', async () => {
    const find = await renderedObjects('openshift');
    const deployment = find('Deployment', 'ambient-web') as V1Deployment;
    const containers = deployment.spec!.template.spec!.containers;
    const web = containers.find((container) => container.name === 'web')!;
    const proxy = containers.find((container) => container.name === 'oauth-proxy')!;
    const webPort = web.ports!.find((port) => port.name === 'http')!.containerPort;
    expect(proxy.args).toEqual(expect.arrayContaining([`--upstream=http://localhost:${webPort}`, '--pass-access-token']));
    const service = find('Service', 'ambient-web') as V1Service;
    expect(service.spec!.ports!.map((port) => port.targetPort)).toEqual(['https']);
    expect(proxy.ports!.map((port) => port.name)).toContain('https');
  });

  it('apps/web/Dockerfile runs web-server.mjs over the export, as UID 1001', () => {
    const dockerfile = readFileSync(`${REPOSITORY_ROOT}apps/web/Dockerfile`, 'utf8');
    expect(dockerfile).toMatch(/^COPY --chown=1001:0 deploy\/base\/web\/web-server\.mjs \.\/web-server\.mjs$/m);
    expect(dockerfile).toMatch(/^COPY --from=build --chown=1001:0 \/src\/apps\/web\/out \.\/out$/m);
    expect(dockerfile).toMatch(/WEB_ROOT=\/app\/out/);
    expect(dockerfile).toMatch(/^CMD \["node", "\/app\/web-server\.mjs"\]$/m);
  });
});

describe('Dockerfiles', () => {
  it.each(['api', 'runner', 'web'])(
    'apps/%s/Dockerfile is multi-stage on node:20-bookworm-slim and runs as a non-root user',
    (app) => {
      const dockerfile = readFileSync(`${REPOSITORY_ROOT}apps/${app}/Dockerfile`, 'utf8');
      expect(
        dockerfile.match(/^FROM node:20-bookworm-slim AS \w+/gm)?.length,
      ).toBeGreaterThanOrEqual(2);
      expect(dockerfile).toMatch(/^USER 1001$/m);
      // The web image serves static files with Node built-ins: it installs no runtime dependencies.
      if (app !== 'web') expect(dockerfile).toMatch(/npm ci[^\n]*--omit=dev/);
    },
  );
});

describe.skipIf(kubeTestsSkipped)('deploy overlays on a real API server', () => {
  let cluster: AcquiredTestCluster;
  let kubeconfigPath: string;

  beforeAll(async () => {
    cluster = await acquireTestCluster();
    kubeconfigPath = cluster.connection.kubeconfigPath;
    await installPlatformCrds(kubeconfigPath);
    const stub = await kubectl(kubeconfigPath, ['apply', '-f', '-'], ROUTE_CRD_STUB);
    expect(stub.exitCode, stub.stderr).toBe(0);
    const established = await kubectl(kubeconfigPath, [
      'wait',
      '--for=condition=Established',
      '--timeout=60s',
      'crd/routes.route.openshift.io',
    ]);
    expect(established.exitCode, established.stderr).toBe(0);
    const namespace = await kubectl(kubeconfigPath, [
      'create',
      'namespace',
      PLATFORM_NAMESPACE,
      '--save-config',
    ]);
    if (namespace.exitCode !== 0) expect(namespace.stderr).toContain('AlreadyExists');
  }, 30 * 60_000);

  afterAll(async () => {
    if (kubeconfigPath) {
      await kubectl(kubeconfigPath, ['delete', 'namespace', PLATFORM_NAMESPACE, '--wait=false']);
      await kubectl(kubeconfigPath, ['delete', 'crd', 'routes.route.openshift.io', '--wait=false']);
    }
    await cluster?.release();
  });

  it.each(OVERLAYS)(
    '%s passes kubectl apply --dry-run=server',
    { timeout: 120_000 },
    async (overlay) => {
      const manifests = await render(overlay);
      const result = await kubectl(
        kubeconfigPath,
        ['apply', '--dry-run=server', '-f', '-'],
        manifests,
      );
      expect(result.exitCode, result.stderr).toBe(0);
      const accepted = result.stdout
        .split('\n')
        .filter((line) => line.includes('(server dry run)'));
      expect(accepted.length).toBe(apiVersionsOf(manifests).length);
      expect(result.stdout).toContain('deployment.apps/ambient-operator');
      expect(result.stdout).toContain('statefulset.apps/ambient-postgres');
    },
  );
});
