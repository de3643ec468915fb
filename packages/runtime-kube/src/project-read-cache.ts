/**
 * A project's settings and runner secrets, read once for many launches.
 *
 * Launching a run reads the project's ProjectSettings and its two runner Secrets; 1,000 sessions
 * of one project read the same three objects 1,000 times. Here each is read with a list (whose
 * resourceVersion is the store's version at the time of the read, even when the object does not
 * exist) and kept with that version. A launch for a session passes the session's resourceVersion:
 * an entry read at or after it already holds every write made before the session's last change
 * (a key set, then the session created; a setting changed, then the session restarted), so it
 * serves; an older one is read again. No watch is needed and nothing can be older than what the
 * user did before starting the session, which a watch-fed cache could not promise: its Secret
 * stream may lag behind the session stream.
 *
 * Concurrent launches share one read per object (a read that was already under way when a newer
 * session asked is followed by one more). Entries are dropped after `maxAgeMs` unused, so secret
 * values do not stay in memory for projects that no longer launch anything.
 */
import { PROJECT_SETTINGS_NAME, ProjectSettingsKind } from '@ambient/contracts';
import type { ProjectSettings, ResourceKind } from '@ambient/contracts';
import { SECRET_NAMES } from '@ambient/core';
import type { ResourceStore, SecretStore, Stored } from '@ambient/core';
import { versionNumber } from './kind-cache.ts';

/** The reads the cache makes: a store's list, and secrets with the version they were read at. */
export interface ProjectReadSources {
  store: Pick<ResourceStore, 'list'>;
  secrets: { readVersioned(project: string, name: string): Promise<{ values: Record<string, string>; resourceVersion: string }> };
}

export interface ProjectReadCacheStats {
  cacheReads: number;
  storeReads: number;
}

interface Entry {
  value: unknown;
  readVersion: bigint;
  lastUsedMs: number;
}

const CACHED_SECRETS: ReadonlySet<string> = new Set(Object.values(SECRET_NAMES));

function isProjectSettings(kind: ResourceKind, name: string): boolean {
  return kind.apiVersion === ProjectSettingsKind.apiVersion && kind.kind === ProjectSettingsKind.kind && name === PROJECT_SETTINGS_NAME;
}

export class ProjectReadCache {
  readonly #sources: ProjectReadSources;
  readonly #maxAgeMs: number;
  readonly #entries = new Map<string, Entry>();
  readonly #reading = new Map<string, Promise<Entry>>();
  readonly #stats: ProjectReadCacheStats = { cacheReads: 0, storeReads: 0 };

  constructor(sources: ProjectReadSources, options: { maxAgeMs?: number } = {}) {
    this.#sources = sources;
    this.#maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  }

  stats(): ProjectReadCacheStats {
    return { ...this.#stats };
  }

  /** The project's settings as of at least `resourceVersion`. */
  async settings(project: string, resourceVersion: string): Promise<Stored<ProjectSettings> | undefined> {
    const settings = (await this.#read(`settings/${project}`, resourceVersion, async () => {
      const listed = await this.#sources.store.list(ProjectSettingsKind, project);
      const found = listed.items.find((item) => item.metadata.name === PROJECT_SETTINGS_NAME);
      return { value: found, resourceVersion: listed.resourceVersion };
    })) as Stored<ProjectSettings> | undefined;
    // Copies: the entry is shared by every launch that reads it.
    return settings ? structuredClone(settings) : undefined;
  }

  /** A runner Secret's values as of at least `resourceVersion`. */
  async secret(project: string, name: string, resourceVersion: string): Promise<Record<string, string>> {
    const values = (await this.#read(`secret/${project}/${name}`, resourceVersion, async () => {
      const read = await this.#sources.secrets.readVersioned(project, name);
      return { value: read.values, resourceVersion: read.resourceVersion };
    })) as Record<string, string>;
    return { ...values };
  }

  /**
   * The store and secret store a launch reads through, answering as of `resourceVersion` for the
   * project settings and the runner secrets, and passing everything else to `store`/`secrets`.
   */
  asOf(resourceVersion: string, store: ResourceStore, secrets: SecretStore): { store: ResourceStore; secrets: SecretStore } {
    const versionedStore: ResourceStore = {
      create: (kind, object) => store.create(kind, object),
      get: <T>(kind: ResourceKind<T>, namespace: string, name: string): Promise<Stored<T> | undefined> =>
        isProjectSettings(kind, name)
          ? (this.settings(namespace, resourceVersion) as Promise<unknown> as Promise<Stored<T> | undefined>)
          : store.get(kind, namespace, name),
      list: (kind, namespace, options) => store.list(kind, namespace, options),
      update: (kind, object) => store.update(kind, object),
      patchStatus: (kind, namespace, name, status, options) => store.patchStatus(kind, namespace, name, status, options),
      delete: (kind, namespace, name) => store.delete(kind, namespace, name),
      watch: (kind, options, onEvent) => store.watch(kind, options, onEvent),
    };
    const versionedSecrets: SecretStore = {
      put: (project, name, data) => secrets.put(project, name, data),
      describe: (project, name) => secrets.describe(project, name),
      read: (project, name) => (CACHED_SECRETS.has(name) ? this.secret(project, name, resourceVersion) : secrets.read(project, name)),
      deleteProject: (project) => secrets.deleteProject(project),
    };
    return { store: versionedStore, secrets: versionedSecrets };
  }

  async #read(key: string, resourceVersion: string, load: () => Promise<{ value: unknown; resourceVersion: string }>): Promise<unknown> {
    this.#dropUnused();
    const needed = versionNumber(resourceVersion);
    const cached = this.#entries.get(key);
    if (cached && cached.readVersion >= needed) {
      this.#stats.cacheReads += 1;
      cached.lastUsedMs = Date.now();
      return cached.value;
    }
    // A read under way may have been sent before the asking session's change: then one more.
    for (let attempt = 0; ; attempt += 1) {
      const entry = await this.#shared(key, load);
      if (entry.readVersion >= needed || attempt >= 1) return entry.value;
    }
  }

  #shared(key: string, load: () => Promise<{ value: unknown; resourceVersion: string }>): Promise<Entry> {
    const pending = this.#reading.get(key);
    if (pending) return pending;
    this.#stats.storeReads += 1;
    const reading = load()
      .then(({ value, resourceVersion }) => {
        const entry: Entry = { value, readVersion: versionNumber(resourceVersion), lastUsedMs: Date.now() };
        const current = this.#entries.get(key);
        // Two reads can finish out of order; keep the newer.
        if (!current || current.readVersion <= entry.readVersion) this.#entries.set(key, entry);
        return entry;
      })
      .finally(() => this.#reading.delete(key));
    this.#reading.set(key, reading);
    return reading;
  }

  #dropUnused(): void {
    const oldestMs = Date.now() - this.#maxAgeMs;
    for (const [key, entry] of this.#entries) if (entry.lastUsedMs < oldestMs) this.#entries.delete(key);
  }
}
