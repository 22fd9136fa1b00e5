// Leader election on a coordination.k8s.io/v1 Lease, with client-go's rules (client-node has none).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { KubeClient } from './client.ts';
import { sleep, systemClock } from './clock.ts';
import type { Clock } from './clock.ts';
import { SERVICE_ACCOUNT_DIR } from './config.ts';
import { isConflict, isNotFound } from './errors.ts';
import { LEASES } from './resource-type.ts';

/** The Lease fields leader election reads and writes. */
export interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number;
  acquireTime?: string | null;
  renewTime?: string | null;
  leaseTransitions?: number;
}

interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

/** Settings of an elector; durations follow controller-runtime's defaults (15 s, 10 s, 2 s). */
export interface LeaderElectionConfig {
  client: Pick<KubeClient, 'get' | 'create' | 'update'>;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Called once, when this instance becomes the leader. */
  onStartedLeading(): void;
  /** Called once, when a leader stops being one (lost the Lease, or released it). */
  onStoppedLeading(reason: 'lost' | 'released'): void;
  /** Called when another holder is observed (for logs). */
  onNewLeader?(identity: string): void;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
  /** Times the Lease's observations and paces retries and renewals (default the system clock). */
  clock?: Clock;
  random?: () => number;
}

/** Returns a time in RFC 3339 with microseconds (the Lease's MicroTime), e.g. 2026-11-22T04:50:00.123456Z. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Returns an identity unique to this process: the host name (the pod name in a cluster) and a random suffix. */
export function defaultIdentity(): string {
  return `${hostname()}_${randomBytes(4).toString('hex')}`;
}

/**
 * Campaigns for a Lease and keeps it: acquires when the Lease is free or expired, renews every retry period, and
 * gives up leadership when a renewal has not succeeded within the renew deadline. Expiry is judged by the local
 * time at which the Lease's record last changed, never by the holder's clock (client-go's rule), so clock skew
 * between nodes cannot cause two leaders.
 */
export class LeaderElector {
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private observed: { record: string; at: number; holder: string; rv: string | undefined } | undefined;
  private lease: Lease | undefined;
  private leading = false;
  private lastRenew = 0;
  private readonly stopController = new AbortController();
  private running: Promise<void> | undefined;
  private lastLeader: string | undefined;

  constructor(private readonly config: LeaderElectionConfig) {
    this.leaseMs = config.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = config.renewDeadlineMs ?? 10_000;
    this.retryMs = config.retryPeriodMs ?? 2_000;
    this.clock = config.clock ?? systemClock;
    this.random = config.random ?? Math.random;
    if (this.renewDeadlineMs >= this.leaseMs) throw new Error('renew deadline must be shorter than the lease duration');
  }

  /** True while this instance holds the Lease. */
  isLeader(): boolean {
    return this.leading;
  }

  /** Starts campaigning in the background; resolves the returned promise when the loop ends (lost or stopped). */
  start(): Promise<void> {
    this.running ??= this.run();
    return this.running;
  }

  /** Stops campaigning and, if leading, releases the Lease so a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.running;
    if (!this.leading) return;
    this.leading = false;
    try {
      await this.release();
    } catch (err) {
      this.config.log?.('releasing the lease failed; a standby takes over when it expires', { error: String(err) });
    }
    this.config.onStoppedLeading('released');
  }

  private async run(): Promise<void> {
    const signal = this.stopController.signal;
    // Campaign until acquired.
    while (!signal.aborted && !this.leading) {
      const acquired = await this.tryAcquireOrRenew().catch((err: unknown) => {
        this.config.log?.('lease request failed', { error: String(err) });
        return false;
      });
      if (acquired) {
        this.leading = true;
        this.lastRenew = this.clock.now();
        this.config.onStartedLeading();
        break;
      }
      await this.wait(this.untilNextTry(), signal);
    }
    // Renew until lost or stopped.
    while (!signal.aborted && this.leading) {
      await this.wait(this.retryMs, signal);
      if (signal.aborted) return;
      // A renewal that hangs past the deadline counts as failed (client-go bounds it with a context timeout).
      const left = Math.max(0, this.lastRenew + this.renewDeadlineMs - this.clock.now());
      const renewed = await Promise.race([
        this.tryAcquireOrRenew().catch((err: unknown) => {
          this.config.log?.('lease renewal failed', { error: String(err) });
          return false;
        }),
        this.wait(left, signal).then(() => false),
      ]);
      if (signal.aborted) return;
      if (renewed) {
        this.lastRenew = this.clock.now();
        continue;
      }
      // Another holder took it, or we could not renew in time: stop leading at once.
      if (this.observed?.holder !== this.config.identity || this.clock.now() - this.lastRenew >= this.renewDeadlineMs) {
        this.leading = false;
        this.config.onStoppedLeading('lost');
        return;
      }
    }
  }

  /** Retry with a little jitter; when a held Lease is about to expire, try right at expiry rather than a period late. */
  private untilNextTry(): number {
    const jittered = this.retryMs * (1 + 0.2 * this.random());
    if (this.observed === undefined || this.observed.holder === '') return jittered;
    const expiresIn = this.observed.at + this.leaseMs - this.clock.now();
    return Math.max(50, Math.min(jittered, expiresIn + 50));
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name, identity } = this.config;
    const now = this.clock.now();
    let current: Lease | undefined;
    try {
      current = await client.get<Lease>(LEASES, namespace, name, { signal: this.stopController.signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (current === undefined) {
      const spec: LeaseSpec = {
        holderIdentity: identity,
        leaseDurationSeconds: Math.ceil(this.leaseMs / 1000),
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: 0,
      };
      try {
        this.lease = await client.create<Lease>(LEASES, { metadata: { name, namespace }, spec });
      } catch (err) {
        if (isConflict(err)) return false;
        throw err;
      }
      this.observe(this.lease, now);
      return true;
    }
    this.observe(current, now);
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const observed = this.observed;
    if (holder !== '' && holder !== identity && observed !== undefined && observed.at + this.leaseMs > now) {
      return false;
    }
    const next: LeaseSpec = {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds: Math.ceil(this.leaseMs / 1000),
      renewTime: microTime(now),
    };
    if (holder !== identity) {
      next.acquireTime = microTime(now);
      next.leaseTransitions = (spec.leaseTransitions ?? 0) + 1;
    }
    try {
      // The resourceVersion makes this conditional: if another candidate wrote first, we get 409 and lose the race.
      this.lease = await client.update<Lease>(LEASES, { metadata: current.metadata, spec: next });
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
    this.observe(this.lease, now);
    return true;
  }

  private observe(lease: Lease, now: number): void {
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const record = JSON.stringify([holder, spec.renewTime, spec.acquireTime, spec.leaseDurationSeconds]);
    if (this.observed?.record !== record)
      this.observed = { record, at: now, holder, rv: lease.metadata.resourceVersion };
    if (holder !== '' && holder !== this.lastLeader) {
      this.lastLeader = holder;
      if (holder !== this.config.identity) this.config.onNewLeader?.(holder);
    }
  }

  /** Gives the Lease up (empty holder, 1 s duration), as client-go's ReleaseOnCancel does. */
  private async release(): Promise<void> {
    const { client, namespace, name, identity } = this.config;
    const current = await client.get<Lease>(LEASES, namespace, name);
    if ((current.spec?.holderIdentity ?? '') !== identity) return;
    const now = microTime(this.clock.now());
    await client.update(LEASES, {
      metadata: current.metadata,
      spec: {
        ...current.spec,
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: now,
        renewTime: now,
      },
    });
  }

  private async wait(ms: number, signal: AbortSignal): Promise<void> {
    await sleep(this.clock, ms, signal);
  }
}

/** Returns the namespace for the Lease: the flag, else POD_NAMESPACE, else the service account's namespace file. */
export function leaseNamespace(
  explicit: string | undefined,
  fallback: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
): string {
  if (explicit) return explicit;
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  try {
    const ns = readFileSync(`${serviceAccountDir}/namespace`, 'utf8').trim();
    if (ns) return ns;
  } catch {
    // Not in a pod: use the kubeconfig context's namespace.
  }
  return fallback;
}
