/**
 * A container's environment and paths, the way the process kubelet runs it as a local process.
 *
 * Environment, in order (later wins): the kubelet's base variables (PATH and friends copied from the
 * kubelet's own environment, HOME = a per-pod directory, HOSTNAME = pod name, KUBERNETES_SERVICE_HOST /
 * _PORT = the apiserver), then `envFrom` (configMapRef / secretRef, with prefix), then `env` (value with
 * `$(VAR)` expansion, valueFrom secretKeyRef / configMapKeyRef / fieldRef / resourceFieldRef).
 *
 * Path rule: a container sees its volumes at their `mountPath`; the process sees local directories.
 * Every env value, the command, each arg and `workingDir` that equals a mount path or starts with
 * `<mountPath>/` is rewritten to the local directory (longest mount path wins). The kubelet's
 * `pathMappings` (e.g. `/app` → the repository) count as mounts of every container.
 */
import type { V1Container, V1EnvVar, V1Pod } from '@kubernetes/client-node';
import { join } from 'node:path';
import type { ObjectLookups } from './object-lookups.ts';
import { PodNotReadyError } from './pod-volumes.ts';

export interface PathMapping {
  mountPath: string;
  localPath: string;
}

/** The container's mounts (plus the kubelet's path mappings), longest mount path first. */
export function pathMappingsFor(
  container: V1Container,
  volumeDirectories: Map<string, string>,
  kubeletMappings: Record<string, string>,
): PathMapping[] {
  const mappings: PathMapping[] = Object.entries(kubeletMappings).map(([mountPath, localPath]) => ({
    mountPath,
    localPath,
  }));
  for (const mount of container.volumeMounts ?? []) {
    const directory = volumeDirectories.get(mount.name);
    if (directory === undefined)
      throw new PodNotReadyError(
        `volume "${mount.name}" is not defined`,
        'CreateContainerConfigError',
      );
    mappings.push({
      mountPath: mount.mountPath,
      localPath: mount.subPath ? join(directory, mount.subPath) : directory,
    });
  }
  const trimmed = mappings.map((mapping) => ({
    ...mapping,
    mountPath: mapping.mountPath.replace(/(.)\/+$/, '$1'),
  }));
  return trimmed.sort((a, b) => b.mountPath.length - a.mountPath.length);
}

export function rewritePath(value: string, mappings: PathMapping[]): string {
  for (const { mountPath, localPath } of mappings) {
    if (value === mountPath) return localPath;
    const prefix = mountPath === '/' ? '/' : `${mountPath}/`;
    if (value.startsWith(prefix)) return join(localPath, value.slice(prefix.length));
  }
  return value;
}

/** Kubernetes `$(VAR)` expansion: known variables are substituted, `$$` escapes, unknown ones stay. */
export function expandReferences(value: string, environment: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g,
    (match, name: string | undefined) => {
      if (name === undefined) return '$';
      return environment[name] ?? match;
    },
  );
}

function fieldValue(pod: V1Pod, fieldPath: string): string {
  const labelOrAnnotation = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (labelOrAnnotation) {
    const source =
      labelOrAnnotation[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations;
    return source?.[labelOrAnnotation[2] ?? ''] ?? '';
  }
  const fields: Record<string, string | undefined> = {
    'metadata.name': pod.metadata?.name,
    'metadata.namespace': pod.metadata?.namespace,
    'metadata.uid': pod.metadata?.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'status.hostIP': '127.0.0.1',
    'status.podIP': '127.0.0.1',
  };
  if (!(fieldPath in fields))
    throw new PodNotReadyError(`unsupported fieldRef "${fieldPath}"`, 'CreateContainerConfigError');
  return fields[fieldPath] ?? '';
}

/** Only what the pod declares: there is no cgroup to read a real limit from. */
function resourceValue(container: V1Container, resourcePath: string): string {
  const [kind, resource] = resourcePath.split('.') as [string, string];
  const values = kind === 'limits' ? container.resources?.limits : container.resources?.requests;
  return String(values?.[resource] ?? '0');
}

async function valueFrom(
  pod: V1Pod,
  container: V1Container,
  variable: V1EnvVar,
  lookups: ObjectLookups,
): Promise<string | undefined> {
  const source = variable.valueFrom;
  if (!source) return undefined;
  if (source.fieldRef) return fieldValue(pod, source.fieldRef.fieldPath);
  if (source.resourceFieldRef) return resourceValue(container, source.resourceFieldRef.resource);
  if (source.secretKeyRef) {
    const { name, key, optional } = source.secretKeyRef;
    const encoded = (await lookups.secret(name ?? ''))?.data?.[key];
    if (encoded !== undefined) return Buffer.from(encoded, 'base64').toString('utf8');
    if (optional) return undefined;
    throw new PodNotReadyError(
      `secret "${name}" or its key "${key}" not found`,
      'CreateContainerConfigError',
    );
  }
  if (source.configMapKeyRef) {
    const { name, key, optional } = source.configMapKeyRef;
    const value = (await lookups.configMap(name ?? ''))?.data?.[key];
    if (value !== undefined || optional) return value;
    throw new PodNotReadyError(
      `configmap "${name}" or its key "${key}" not found`,
      'CreateContainerConfigError',
    );
  }
  throw new PodNotReadyError(
    `env ${variable.name}: unsupported valueFrom`,
    'CreateContainerConfigError',
  );
}

async function environmentFrom(
  container: V1Container,
  lookups: ObjectLookups,
): Promise<Record<string, string>> {
  const environment: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? '';
    if (source.secretRef) {
      const secret = await lookups.secret(source.secretRef.name ?? '');
      if (!secret && !source.secretRef.optional)
        throw new PodNotReadyError(
          `secret "${source.secretRef.name}" not found`,
          'CreateContainerConfigError',
        );
      for (const [key, value] of Object.entries(secret?.data ?? {}))
        environment[prefix + key] = Buffer.from(value, 'base64').toString('utf8');
    }
    if (source.configMapRef) {
      const configMap = await lookups.configMap(source.configMapRef.name ?? '');
      if (!configMap && !source.configMapRef.optional)
        throw new PodNotReadyError(
          `configmap "${source.configMapRef.name}" not found`,
          'CreateContainerConfigError',
        );
      for (const [key, value] of Object.entries(configMap?.data ?? {}))
        environment[prefix + key] = value;
    }
  }
  return environment;
}

/**
 * The variables the pod declares for this container (envFrom, then env), with the values the
 * container would see (before path rewriting). `$(VAR)` may refer to `base` and earlier variables;
 * `base` itself is not part of the result, so the kubelet's own (local) values are never rewritten.
 */
export async function declaredEnvironment(
  pod: V1Pod,
  container: V1Container,
  base: Record<string, string>,
  lookups: ObjectLookups,
): Promise<Record<string, string>> {
  const declared = await environmentFrom(container, lookups);
  for (const variable of container.env ?? []) {
    const resolved = variable.valueFrom
      ? await valueFrom(pod, container, variable, lookups)
      : expandReferences(variable.value ?? '', { ...base, ...declared });
    if (resolved !== undefined) declared[variable.name] = resolved;
  }
  return declared;
}
