/**
 * Binds every unbound PersistentVolumeClaim to a PersistentVolume made for it, so pods that use
 * claims get scheduled (the cluster has no storage provisioner). The PV is pre-bound through
 * `claimRef`; kube-controller-manager's PV binder then completes the binding, as for any
 * statically provisioned volume. The data itself lives in the process kubelet's claim directory
 * (`<workDir>/claims/<namespace>/<claim>`), which the PV's hostPath records for reference.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { errorMessage, isApiStatus } from './kube-api.ts';
import { watchResources } from './resource-watch.ts';
import type { ResourceWatch } from './resource-watch.ts';

export const PROVISIONER_NAME = 'ambient-code.io/process-kubelet';

export function startVolumeProvisioner(
  kubeConfig: KubeConfig,
  claimDirectory: (namespace: string, claimName: string) => string,
  onError: (message: string, error: unknown) => void,
): ResourceWatch {
  const coreApi = kubeConfig.makeApiClient(CoreV1Api);
  const requested = new Set<string>();

  const provision = async (
    claim: V1PersistentVolumeClaim,
    uid: string,
    namespace: string,
    name: string,
  ) => {
    try {
      await coreApi.createPersistentVolume({
        body: {
          metadata: {
            name: `pvc-${uid}`,
            annotations: { 'pv.kubernetes.io/provisioned-by': PROVISIONER_NAME },
          },
          spec: {
            capacity: { storage: claim.spec?.resources?.requests?.['storage'] ?? '1Gi' },
            accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
            volumeMode: claim.spec?.volumeMode,
            storageClassName: claim.spec?.storageClassName ?? '',
            persistentVolumeReclaimPolicy: 'Retain', // deleted by us below when the claim goes away
            hostPath: { path: claimDirectory(namespace, name), type: 'DirectoryOrCreate' },
            claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name, uid },
          },
        },
      });
    } catch (error) {
      // 409: another process kubelet in the same cluster provisioned it first.
      if (!isApiStatus(error, 409)) {
        requested.delete(uid);
        onError(
          `provisioning a volume for claim ${namespace}/${name} failed: ${errorMessage(error)}`,
          error,
        );
      }
    }
  };

  return watchResources<V1PersistentVolumeClaim>(
    kubeConfig,
    '/api/v1/persistentvolumeclaims',
    {},
    () => coreApi.listPersistentVolumeClaimForAllNamespaces(),
    {
      sync(claim) {
        const { uid, namespace, name } = claim.metadata ?? {};
        if (
          !uid ||
          !namespace ||
          !name ||
          claim.spec?.volumeName ||
          claim.metadata?.deletionTimestamp
        )
          return;
        if (requested.has(uid)) return;
        requested.add(uid);
        void provision(claim, uid, namespace, name);
      },
      removed(claim) {
        const uid = claim.metadata?.uid;
        if (!uid || !requested.delete(uid)) return;
        coreApi.deletePersistentVolume({ name: `pvc-${uid}` }).catch(() => undefined);
      },
      onError,
    },
  );
}
