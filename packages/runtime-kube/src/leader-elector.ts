/**
 * Leader election on a `coordination.k8s.io/v1` Lease, as client-go's leaderelection does it, so
 * exactly one operator replica runs the reconcilers:
 *
 * - every `retryPeriodMs` each candidate reads the Lease; the holder renews `renewTime`, the
 *   others wait until the lease has expired and then take it over (leaseTransitions + 1);
 * - expiry is judged by the LOCAL time at which this candidate last saw the record change, plus
 *   the holder's declared `leaseDurationSeconds` — never by comparing the holder's `renewTime` with
 *   our clock, so clock skew between nodes cannot cause two leaders;
 * - every write is a PUT fenced by resourceVersion: of two candidates racing for an expired lease,
 *   one gets 409 and stays a follower;
 * - a leader that cannot renew for `renewDeadlineMs` (< leaseDurationMs) steps down before anyone
 *   else may take over; `stop()` releases the lease (empty holder) so a successor takes it at
 *   its next retry instead of waiting out the lease.
 *
 * The Lease is accessed with the custom objects API (any group works there) so times stay the raw
 * strings the API server wants: metav1.MicroTime insists on exactly six fractional digits, which
 * client-node's Date serialisation of the typed Lease model does not produce.
 */
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { isConflict } from '@ambient/core';
import { isHttpStatus, kubeCall, kubeRead } from './kube-errors.ts';

export interface LeaderElectorOptions {
  /** The operator's own identity (leases are never taken with a user's token). */
  kubeConfig: KubeConfig;
  namespace: string;
  leaseName: string;
  /** Unique per candidate process, e.g. `${podName}-${randomUUID()}`. */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Called on becoming leader; `signal` aborts when leadership ends. */
  onStartedLeading(signal: AbortSignal): void;
  /** Called once each time leadership ends (lost renewal, taken over, or stop()). */
  onStoppedLeading?(): void;
  /** A failed API call (the elector keeps trying); for logs. */
  onError?(error: Error): void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface LeaseObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

const LEASES = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases' } as const;

export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;

/** metav1.MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  readonly #options: LeaderElectorOptions;
  readonly #api: CustomObjectsApi;
  readonly #leaseDurationMs: number;
  readonly #renewDeadlineMs: number;
  readonly #retryPeriodMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #tick: Promise<void> = Promise.resolve();
  #leadership: AbortController | undefined;
  #lastRenewAtMs = 0;
  /** The record as last seen, and when (local monotonic time) it last changed. */
  #observedRecord = '';
  #observedAtMs = 0;

  constructor(options: LeaderElectorOptions) {
    this.#options = options;
    this.#api = options.kubeConfig.makeApiClient(CustomObjectsApi);
    this.#leaseDurationMs = options.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.#renewDeadlineMs = options.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
    this.#retryPeriodMs = options.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS;
    if (!(
      this.#retryPeriodMs < this.#renewDeadlineMs && this.#renewDeadlineMs < this.#leaseDurationMs
    )) {
      throw new RangeError(
        'leader election needs retryPeriodMs < renewDeadlineMs < leaseDurationMs',
      );
    }
  }

  get isLeader(): boolean {
    return this.#leadership !== undefined;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const loop = (): void => {
      if (!this.#running) return;
      this.#tick = this.#tryAcquireOrRenew().finally(() => {
        if (this.#running) this.#timer = setTimeout(loop, this.#retryPeriodMs);
      });
    };
    loop();
  }

  /** Stops campaigning; a leader releases the lease so a successor need not wait for expiry. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#tick;
    if (!this.#leadership) return;
    try {
      await this.#release();
    } catch (error) {
      this.#report(error); // the lease then simply expires
    }
    this.#stepDown();
  }

  async #tryAcquireOrRenew(): Promise<void> {
    try {
      const acquired = await this.#acquireOrRenew();
      if (acquired) {
        this.#lastRenewAtMs = performance.now();
        if (!this.#leadership && this.#running) this.#stepUp();
        return;
      }
    } catch (error) {
      this.#report(error);
    }
    // Not renewed this round: a leader keeps its role only until the renew deadline.
    if (this.#leadership && performance.now() - this.#lastRenewAtMs > this.#renewDeadlineMs) {
      this.#stepDown();
    }
  }

  /** One round: true when we hold the lease afterwards. */
  async #acquireOrRenew(): Promise<boolean> {
    const now = new Date();
    const lease = await kubeRead<LeaseObject>(this.#what(), () =>
      this.#api.getNamespacedCustomObject({ ...this.#where(), name: this.#options.leaseName }),
    );
    const durationSeconds = Math.ceil(this.#leaseDurationMs / 1000);
    if (!lease) {
      return this.#write('create', {
        holderIdentity: this.#options.identity,
        leaseDurationSeconds: durationSeconds,
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: 0,
      });
    }
    const spec = lease.spec ?? {};
    this.#observe(spec);
    const holder = spec.holderIdentity ?? '';
    const heldByUs = holder === this.#options.identity;
    if (holder && !heldByUs) {
      if (this.#leadership) this.#stepDown(); // someone took over while we could not renew
      const expiresAtMs =
        this.#observedAtMs + (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
      if (performance.now() < expiresAtMs) return false;
    }
    return this.#write(
      'replace',
      {
        holderIdentity: this.#options.identity,
        leaseDurationSeconds: durationSeconds,
        acquireTime: heldByUs && spec.acquireTime ? spec.acquireTime : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: (spec.leaseTransitions ?? 0) + (heldByUs ? 0 : 1),
      },
      lease.metadata?.resourceVersion,
    );
  }

  /** Creates or replaces the lease; false when another candidate wrote first (409). */
  async #write(
    mode: 'create' | 'replace',
    spec: LeaseSpec,
    resourceVersion?: string,
  ): Promise<boolean> {
    const body: LeaseObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.#options.leaseName,
        namespace: this.#options.namespace,
        resourceVersion,
      },
      spec,
    };
    try {
      await kubeCall(this.#what(), () =>
        mode === 'create'
          ? this.#api.createNamespacedCustomObject({ ...this.#where(), body })
          : this.#api.replaceNamespacedCustomObject({
              ...this.#where(),
              name: this.#options.leaseName,
              body,
            }),
      );
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  /** Hands the lease back (client-go's convention: empty holder, 1 s duration). */
  async #release(): Promise<void> {
    const lease = await kubeRead<LeaseObject>(this.#what(), () =>
      this.#api.getNamespacedCustomObject({ ...this.#where(), name: this.#options.leaseName }),
    );
    if (!lease || lease.spec?.holderIdentity !== this.#options.identity) return;
    const now = microTime(new Date());
    await this.#write(
      'replace',
      {
        ...lease.spec,
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: now,
        renewTime: now,
      },
      lease.metadata?.resourceVersion,
    );
  }

  #observe(spec: LeaseSpec): void {
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.leaseDurationSeconds]);
    if (record !== this.#observedRecord) {
      this.#observedRecord = record;
      this.#observedAtMs = performance.now();
    }
  }

  #stepUp(): void {
    this.#leadership = new AbortController();
    try {
      this.#options.onStartedLeading(this.#leadership.signal);
    } catch (error) {
      this.#report(error);
    }
  }

  #stepDown(): void {
    const leadership = this.#leadership;
    if (!leadership) return;
    this.#leadership = undefined;
    leadership.abort();
    try {
      this.#options.onStoppedLeading?.();
    } catch (error) {
      this.#report(error);
    }
  }

  #report(error: unknown): void {
    if (isHttpStatus(error, 404)) return;
    this.#options.onError?.(error instanceof Error ? error : new Error(String(error)));
  }

  #where(): { group: string; version: string; plural: string; namespace: string } {
    return { ...LEASES, namespace: this.#options.namespace };
  }

  #what(): string {
    return `leases "${this.#options.leaseName}"`;
  }
}
