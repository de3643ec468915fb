/**
 * Maps a pod's volumes to local directories:
 * - emptyDir → `<podDirectory>/volumes/<volume>` (gone with the pod directory);
 * - persistentVolumeClaim → the kubelet's claim directory, `<workDir>/claims/<namespace>/<claim>`,
 *   so a claim's content survives its pods (as a real PV does);
 * - secret, configMap and projected (secret/configMap sources) → files written once at pod start
 *   (no live updates), honouring `items`, `defaultMode` and `optional`;
 * - hostPath → the path itself (the "host" is this machine).
 * Anything else makes the pod wait with an explanation, as a real kubelet does for unmountable volumes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { V1KeyToPath, V1Pod, V1Volume } from '@kubernetes/client-node';
import type { ObjectLookups } from './object-lookups.ts';

/** A problem that may go away (a Secret not created yet): the pod waits and is retried. */
export class PodNotReadyError extends Error {
  constructor(
    message: string,
    readonly reason: 'ContainerCreating' | 'CreateContainerConfigError',
  ) {
    super(message);
  }
}

export interface VolumeContext {
  podDirectory: string;
  claimDirectory(namespace: string, claimName: string): string;
  lookups: ObjectLookups;
}

type FileContents = Record<string, Buffer>;

function writeFiles(
  directory: string,
  files: FileContents,
  items: V1KeyToPath[] | undefined,
  defaultMode: number | undefined,
) {
  mkdirSync(directory, { recursive: true });
  const selected = items ?? Object.keys(files).map((key) => ({ key, path: key, mode: undefined }));
  for (const item of selected) {
    const contents = files[item.key];
    if (contents === undefined)
      throw new PodNotReadyError(`key "${item.key}" not found`, 'ContainerCreating');
    const target = join(directory, item.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, contents, { mode: item.mode ?? defaultMode ?? 0o644 });
  }
}

async function secretFiles(
  lookups: ObjectLookups,
  name: string,
  optional: boolean | undefined,
): Promise<FileContents> {
  const secret = await lookups.secret(name);
  if (!secret) {
    if (optional) return {};
    throw new PodNotReadyError(`secret "${name}" not found`, 'ContainerCreating');
  }
  const files: FileContents = {};
  for (const [key, value] of Object.entries(secret.data ?? {}))
    files[key] = Buffer.from(value, 'base64');
  for (const [key, value] of Object.entries(secret.stringData ?? {}))
    files[key] = Buffer.from(value, 'utf8');
  return files;
}

async function configMapFiles(
  lookups: ObjectLookups,
  name: string,
  optional: boolean | undefined,
): Promise<FileContents> {
  const configMap = await lookups.configMap(name);
  if (!configMap) {
    if (optional) return {};
    throw new PodNotReadyError(`configmap "${name}" not found`, 'ContainerCreating');
  }
  const files: FileContents = {};
  for (const [key, value] of Object.entries(configMap.data ?? {}))
    files[key] = Buffer.from(value, 'utf8');
  for (const [key, value] of Object.entries(configMap.binaryData ?? {}))
    files[key] = Buffer.from(value, 'base64');
  return files;
}

async function prepareVolume(
  pod: V1Pod,
  volume: V1Volume,
  context: VolumeContext,
): Promise<string> {
  const ownDirectory = join(context.podDirectory, 'volumes', volume.name);
  const namespace = pod.metadata?.namespace ?? 'default';
  if (volume.emptyDir) {
    mkdirSync(ownDirectory, { recursive: true });
    return ownDirectory;
  }
  if (volume.persistentVolumeClaim) {
    const directory = context.claimDirectory(namespace, volume.persistentVolumeClaim.claimName);
    mkdirSync(directory, { recursive: true });
    return directory;
  }
  if (volume.hostPath) {
    mkdirSync(volume.hostPath.path, { recursive: true });
    return volume.hostPath.path;
  }
  if (volume.secret) {
    const { secretName, items, defaultMode, optional } = volume.secret;
    writeFiles(
      ownDirectory,
      await secretFiles(context.lookups, secretName ?? '', optional),
      items,
      defaultMode,
    );
    return ownDirectory;
  }
  if (volume.configMap) {
    const { name, items, defaultMode, optional } = volume.configMap;
    writeFiles(
      ownDirectory,
      await configMapFiles(context.lookups, name ?? '', optional),
      items,
      defaultMode,
    );
    return ownDirectory;
  }
  if (volume.projected) {
    mkdirSync(ownDirectory, { recursive: true });
    for (const source of volume.projected.sources ?? []) {
      // serviceAccountToken and downwardAPI sources are skipped (not needed by the platform's pods).
      if (source.secret) {
        const files = await secretFiles(
          context.lookups,
          source.secret.name ?? '',
          source.secret.optional,
        );
        writeFiles(ownDirectory, files, source.secret.items, volume.projected.defaultMode);
      }
      if (source.configMap) {
        const files = await configMapFiles(
          context.lookups,
          source.configMap.name ?? '',
          source.configMap.optional,
        );
        writeFiles(ownDirectory, files, source.configMap.items, volume.projected.defaultMode);
      }
    }
    return ownDirectory;
  }
  throw new PodNotReadyError(
    `volume "${volume.name}": this volume type is not supported by the process kubelet`,
    'ContainerCreating',
  );
}

/** Volume name → local directory, for every volume of the pod. */
export async function prepareVolumes(
  pod: V1Pod,
  context: VolumeContext,
): Promise<Map<string, string>> {
  const directories = new Map<string, string>();
  for (const volume of pod.spec?.volumes ?? [])
    directories.set(volume.name, await prepareVolume(pod, volume, context));
  return directories;
}
