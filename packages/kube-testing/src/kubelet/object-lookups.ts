/** Reads (and caches for one pod start) the Secrets and ConfigMaps a pod refers to. */
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import { isApiStatus } from './kube-api.ts';

export interface ObjectLookups {
  /** undefined when it does not exist. */
  secret(name: string): Promise<V1Secret | undefined>;
  configMap(name: string): Promise<V1ConfigMap | undefined>;
}

export function objectLookups(kubeConfig: KubeConfig, namespace: string): ObjectLookups {
  const coreApi = kubeConfig.makeApiClient(CoreV1Api);
  const secrets = new Map<string, Promise<V1Secret | undefined>>();
  const configMaps = new Map<string, Promise<V1ConfigMap | undefined>>();
  const orUndefinedIfMissing = <T>(read: Promise<T>) =>
    read.catch((error: unknown) => {
      if (isApiStatus(error, 404)) return undefined;
      throw error;
    });
  return {
    secret(name) {
      let read = secrets.get(name);
      if (!read)
        secrets.set(
          name,
          (read = orUndefinedIfMissing(coreApi.readNamespacedSecret({ name, namespace }))),
        );
      return read;
    },
    configMap(name) {
      let read = configMaps.get(name);
      if (!read)
        configMaps.set(
          name,
          (read = orUndefinedIfMissing(coreApi.readNamespacedConfigMap({ name, namespace }))),
        );
      return read;
    },
  };
}
