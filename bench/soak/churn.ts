// The churn generator: sources created, edited and deleted; namespaces created, relabelled and deleted; mirrors edited
// and deleted by hand; foreign objects appearing where a source would put a mirror. Seeded, so a run can be repeated.
import { Labels } from '../../core/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { CONFIGMAPS, NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';

/** The label that marks objects the churn made as foreign: the controller must never write them. */
export const FOREIGN_LABEL = 'soak.kube-reflect.io/foreign';
/** Prefix of every namespace the soak makes. */
export const SOAK_PREFIX = 'sk';
/** The namespace holding the sources. */
export const SOURCE_NAMESPACE = `${SOAK_PREFIX}-src`;

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Meta = { metadata: { name: string; namespace?: string; resourceVersion?: string } };

/** What the churn has done, by action, and the resourceVersions of the foreign objects it wrote last. */
export interface ChurnLog {
  actions: Record<string, number>;
  errors: number;
  /** "namespace/name" of each foreign object → the resourceVersion the churn's own last write returned. */
  foreign: Map<string, { type: ResourceType; resourceVersion: string }>;
}

/** The targeting annotations the churn's sources pick from. */
const TARGETS = [`${SOAK_PREFIX}-t*`, `${SOAK_PREFIX}-t1*`, `${SOAK_PREFIX}-t0, ${SOAK_PREFIX}-t2, ${SOAK_PREFIX}-t5`];

/** Drives churn against the cluster with the admin client until stopped; one action every 100–300 ms. */
export class Churn {
  readonly log: ChurnLog = { actions: {}, errors: 0, foreign: new Map() };
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly random: () => number,
    private readonly namespaceCount = 12,
  ) {}

  /** The namespaces the soak starts with: the source namespace and the target pool. */
  initialNamespaces(): string[] {
    return [SOURCE_NAMESPACE, ...Array.from({ length: this.namespaceCount }, (_, i) => `${SOAK_PREFIX}-t${i}`)];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.step();
        await new Promise((r) => setTimeout(r, 100 + Math.floor(this.random() * 200)));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private pick<T>(xs: readonly T[]): T | undefined {
    return xs.length === 0 ? undefined : xs[Math.floor(this.random() * xs.length)];
  }

  private count(action: string): void {
    this.log.actions[action] = (this.log.actions[action] ?? 0) + 1;
  }

  /** One random action; API errors (conflicts, a namespace that is terminating, a fault) are counted, not thrown. */
  async step(): Promise<void> {
    const r = this.random();
    const type = this.random() < 0.5 ? SECRETS : CONFIGMAPS;
    const kind = type === SECRETS ? 'Secret' : 'ConfigMap';
    const sourceName = `s${Math.floor(this.random() * 8)}`;
    const body = (name: string, namespace: string, extra: object = {}) => ({
      apiVersion: 'v1',
      kind,
      metadata: { name, namespace, ...extra },
      ...(type === SECRETS ? { stringData: { v: String(this.random()) } } : { data: { v: String(this.random()) } }),
    });
    try {
      if (r < 0.25) {
        this.count('source-apply');
        await this.client.apply(
          type,
          body(sourceName, SOURCE_NAMESPACE, { annotations: { 'kube-reflect.io/to': this.pick(TARGETS)! } }),
          { fieldManager: 'soak-churn', force: true },
        );
      } else if (r < 0.32) {
        this.count('source-delete');
        await this.client.delete(type, SOURCE_NAMESPACE, sourceName);
      } else if (r < 0.4) {
        this.count('namespace-create');
        const name = `${SOAK_PREFIX}-t${Math.floor(this.random() * (this.namespaceCount + 6))}`;
        await this.client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      } else if (r < 0.45) {
        this.count('namespace-delete');
        // Only namespaces beyond the initial pool come and go, so targets keep existing most of the time.
        const name = `${SOAK_PREFIX}-t${this.namespaceCount + Math.floor(this.random() * 6)}`;
        await this.client.delete(NAMESPACES, undefined, name);
      } else if (r < 0.55) {
        this.count('namespace-relabel');
        const name = `${SOAK_PREFIX}-t${Math.floor(this.random() * this.namespaceCount)}`;
        const value = this.random() < 0.5 ? 'false' : 'true';
        await this.client.apply(
          NAMESPACES,
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [Labels.acceptMirrors]: value } } },
          { fieldManager: 'soak-churn', force: true },
        );
      } else if (r < 0.75) {
        this.count('mirror-edit');
        const mirror = await this.someMirror(type);
        if (mirror)
          await this.client.apply(type, body(mirror.metadata.name, mirror.metadata.namespace!), {
            fieldManager: 'soak-hand-edit',
            force: true,
          });
      } else if (r < 0.88) {
        this.count('mirror-delete');
        const mirror = await this.someMirror(type);
        if (mirror) await this.client.delete(type, mirror.metadata.namespace!, mirror.metadata.name);
      } else {
        this.count('foreign-create');
        const namespace = `${SOAK_PREFIX}-t${Math.floor(this.random() * this.namespaceCount)}`;
        const created = await this.client.create<Meta>(
          type,
          body(sourceName, namespace, { labels: { [FOREIGN_LABEL]: 'true' } }),
        );
        this.log.foreign.set(`${namespace}/${sourceName}/${kind}`, {
          type,
          resourceVersion: created.metadata.resourceVersion ?? '',
        });
      }
    } catch {
      this.log.errors++;
    }
  }

  private async someMirror(type: ResourceType): Promise<Meta | undefined> {
    const { items } = await this.client.list<Meta>(type, {
      labelSelector: `${Labels.mirror}=true`,
      metadataOnly: true,
      limit: 200,
    });
    return this.pick(items.filter((m) => m.metadata.namespace?.startsWith(`${SOAK_PREFIX}-`)));
  }
}
