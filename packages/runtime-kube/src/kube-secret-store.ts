/**
 * SecretStore over Kubernetes Secrets (cluster mode), anchor-compatible: one Opaque Secret per
 * name in the project's namespace (`ambient-runner-secrets`, `ambient-non-vertex-integrations`),
 * one data key per entry, so runner pods take them with `envFrom: secretRef` unchanged.
 *
 * When each key was last set is kept in ONE annotation holding a JSON map key → time
 * (`ambient-code.io/key-updated-at`): an annotation per key cannot represent every Secret key
 * (annotation names are at most 63 characters and must start with a letter or digit; Secret keys
 * may be 253 characters and start with "." or "_"). A key written by other means (kubectl, the
 * system we replace) reports the Secret's creation time.
 *
 * `put` is a read-modify-write fenced by resourceVersion, retried on conflict, so concurrent puts
 * of different keys both land. Values never appear in errors: the API server's messages about a
 * Secret name keys, not values.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import type { V1Secret } from '@kubernetes/client-node';
import { ConflictError, SECRET_NAMES, isConflict } from '@ambient/core';
import type { SecretEntry, SecretStore } from '@ambient/core';
import { KubeConnection } from './kube-connection.ts';
import type { KubeConnectionOptions } from './kube-connection.ts';
import { isHttpStatus, kubeCall, kubeRead, toPlatformError } from './kube-errors.ts';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './project-mapping.ts';

export const KEY_UPDATED_AT_ANNOTATION = 'ambient-code.io/key-updated-at';
/** What the system we replace marks its runner Secret with. */
export const RUNNER_SECRET_ANNOTATION = 'ambient-code.io/runner-secret';

const MAX_PUT_ATTEMPTS = 5;

export interface KubeSecretStoreOptions extends KubeConnectionOptions {
  /** Time source for updatedAt (tests); defaults to now. */
  now?: () => Date;
}

function updatedTimes(secret: V1Secret): Record<string, string> {
  const annotation = secret.metadata?.annotations?.[KEY_UPDATED_AT_ANNOTATION];
  if (!annotation) return {};
  try {
    const parsed: unknown = JSON.parse(annotation);
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  } catch {
    return {}; // edited by hand into something else: fall back to the creation time
  }
}

function creationTime(secret: V1Secret): string {
  const created = secret.metadata?.creationTimestamp;
  return created ? new Date(created).toISOString() : new Date(0).toISOString();
}

export function describeSecret(secret: V1Secret): SecretEntry[] {
  const times = updatedTimes(secret);
  return Object.keys(secret.data ?? {})
    .sort()
    .map((key) => ({ key, updatedAt: times[key] ?? creationTime(secret) }));
}

function decodedValues(secret: V1Secret | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, encoded] of Object.entries(secret?.data ?? {})) {
    values[key] = Buffer.from(encoded, 'base64').toString('utf8');
  }
  return values;
}

export class KubeSecretStore implements SecretStore {
  readonly #connection: KubeConnection;
  readonly #now: () => Date;

  constructor(options: KubeSecretStoreOptions) {
    this.#connection = new KubeConnection(options);
    this.#now = options.now ?? (() => new Date());
  }

  async put(project: string, name: string, data: Record<string, string>): Promise<SecretEntry[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return describeSecret(await this.#putOnce(project, name, data));
      } catch (error) {
        if (!isConflict(error) || attempt >= MAX_PUT_ATTEMPTS) throw error;
      }
    }
  }

  async describe(project: string, name: string): Promise<SecretEntry[]> {
    const secret = await this.#read(project, name);
    return secret ? describeSecret(secret) : [];
  }

  async read(project: string, name: string): Promise<Record<string, string>> {
    return decodedValues(await this.#read(project, name));
  }

  /**
   * The values and the store's version at the time they were read (a list's resourceVersion,
   * also when the Secret does not exist): a caller can tell that the answer already covers every
   * write made before some other object's version (project-read-cache.ts).
   */
  async readVersioned(project: string, name: string): Promise<{ values: Record<string, string>; resourceVersion: string }> {
    const api = this.#connection.api(CoreV1Api);
    const listed = await kubeCall(`secrets "${name}"`, () =>
      api.listNamespacedSecret({ namespace: project, fieldSelector: `metadata.name=${name}` }),
    );
    return { values: decodedValues(listed.items[0]), resourceVersion: listed.metadata?.resourceVersion ?? '' };
  }

  async deleteProject(project: string): Promise<void> {
    const api = this.#connection.api(CoreV1Api);
    const listed = await kubeCall('secrets', () =>
      api.listNamespacedSecret({
        namespace: project,
        labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`,
      }),
    );
    for (const secret of listed.items) {
      const name = secret.metadata?.name;
      if (!name) continue;
      try {
        await api.deleteNamespacedSecret({ name, namespace: project });
      } catch (error) {
        if (!isHttpStatus(error, 404)) throw toPlatformError(error, `secrets "${name}"`);
      }
    }
  }

  async #read(project: string, name: string): Promise<V1Secret | undefined> {
    const api = this.#connection.api(CoreV1Api);
    return kubeRead(`secrets "${name}"`, () =>
      api.readNamespacedSecret({ name, namespace: project }),
    );
  }

  async #putOnce(
    project: string,
    name: string,
    changes: Record<string, string>,
  ): Promise<V1Secret> {
    const api = this.#connection.api(CoreV1Api);
    const current = await this.#read(project, name);
    const body = mergeSecret(current, project, name, changes, this.#now().toISOString());
    if (!body) return { data: {} }; // only removals, and no Secret: nothing to store
    if (!current) {
      return kubeCall(`secrets "${name}"`, () =>
        api.createNamespacedSecret({ namespace: project, body }),
      ).catch((error: unknown) => {
        // Someone created it between our read and write: the retry reads and merges.
        if (isConflict(error))
          throw new ConflictError(`secrets "${name}" was created concurrently`);
        throw error;
      });
    }
    // The body carries the resourceVersion we read: a concurrent change makes this a 409.
    return kubeCall(`secrets "${name}"`, () =>
      api.replaceNamespacedSecret({ name, namespace: project, body }),
    );
  }
}

/**
 * The Secret after applying `changes` to `current` (undefined: nothing to create). Keeps the
 * current labels, annotations and type; adds the managed-by label and the per-key update times.
 */
export function mergeSecret(
  current: V1Secret | undefined,
  project: string,
  name: string,
  changes: Record<string, string>,
  now: string,
): V1Secret | undefined {
  const data: Record<string, string> = { ...current?.data };
  const times = current ? updatedTimes(current) : {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') {
      delete data[key];
    } else {
      data[key] = Buffer.from(value, 'utf8').toString('base64');
      times[key] = now;
    }
  }
  for (const key of Object.keys(times)) if (!(key in data)) delete times[key];
  if (!current && Object.keys(data).length === 0) return undefined;
  const metadata = current?.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: current?.type ?? 'Opaque',
    metadata: {
      name,
      namespace: project,
      resourceVersion: metadata?.resourceVersion,
      ownerReferences: metadata?.ownerReferences,
      finalizers: metadata?.finalizers,
      labels: { ...metadata?.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      annotations: {
        ...metadata?.annotations,
        ...(name === SECRET_NAMES.runner ? { [RUNNER_SECRET_ANNOTATION]: 'true' } : {}),
        [KEY_UPDATED_AT_ANNOTATION]: JSON.stringify(times),
      },
    },
    data,
  };
}
