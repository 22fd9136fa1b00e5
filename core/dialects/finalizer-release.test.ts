import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMap, world } from '../../test/fixtures.ts';
import { MemoryCluster } from '../../kube/test-support/memory-cluster.ts';
import { executePlan } from '../../kube/execute-plan.ts';
import { CONFIGMAPS } from '../../kube/resource-type.ts';
import type { KubeObject } from '../index.ts';
import { applyPlanToWorld, planReflection } from '../index.ts';
import { KubeMirror } from '../names.ts';

const FINALIZER = KubeMirror.finalizer;

/** A KubeMirror source with finalizers, and the copy KubeMirror made of it in each target namespace. */
function kubeMirrorWorld(targets: string[], finalizers: string[], transform?: string) {
  const source = configMap(
    'default',
    'app',
    { v: '1' },
    {
      labels: { [KubeMirror.enabled]: 'true' },
      annotations: {
        [KubeMirror.sync]: 'true',
        [KubeMirror.targetNamespaces]: targets.join(','),
        ...(transform === undefined ? {} : { [KubeMirror.transform]: transform, [KubeMirror.transformStrict]: 'true' }),
      },
    },
  );
  source.metadata.uid = 'uid-src';
  source.metadata.finalizers = finalizers;
  const copies = targets.map((ns) =>
    configMap(
      ns,
      'app',
      { v: '0' },
      {
        labels: { [KubeMirror.mirror]: 'true', [KubeMirror.managedBy]: 'kubemirror' },
        annotations: { [KubeMirror.sourceNamespace]: 'default', [KubeMirror.sourceName]: 'app' },
      },
    ),
  );
  return world(['default', ...targets], [source, ...copies]);
}

const sourceOf = (objects: readonly KubeObject[]) =>
  objects.find((o) => o.metadata.namespace === 'default' && o.metadata.name === 'app') as KubeObject;

describe("a stopped KubeMirror's finalizer on a source", () => {
  it('is released in the plan that adopts every copy, and only that finalizer (by its index)', () => {
    const w = kubeMirrorWorld(['a', 'b'], ['example.com/keep', FINALIZER]);
    const plan = planReflection(w);
    assert.deepEqual(
      plan.apply.map((a) => [a.object.metadata.namespace, a.reason]),
      [
        ['a', 'adopt'],
        ['b', 'adopt'],
      ],
    );
    assert.deepEqual(plan.release, [
      {
        object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'app' },
        uid: 'uid-src',
        finalizer: FINALIZER,
        index: 1,
      },
    ]);
    const after = applyPlanToWorld(w, plan);
    assert.deepEqual(sourceOf(after.objects).metadata.finalizers, ['example.com/keep']);
    const again = planReflection(after);
    assert.deepEqual([again.apply, again.delete, again.release], [[], [], []]);
  });

  it('is released from a source that no longer asks for mirrors (KubeMirror drops it when sync is turned off)', () => {
    const w = kubeMirrorWorld(['a'], [FINALIZER]);
    const source = sourceOf(w.objects);
    source.metadata.annotations = { [KubeMirror.sync]: 'false' };
    const plan = planReflection(w);
    assert.equal(plan.release.length, 1);
    assert.deepEqual(sourceOf(applyPlanToWorld(w, plan).objects).metadata.finalizers, undefined);
  });

  it('stays while a copy of it stands where the source cannot write (a strict transform fails there)', () => {
    const rules =
      'rules:\n  - path: data.x\n    template: \'{{if eq .TargetNamespace "b"}}{{.Labels.missing}}{{end}}\'\n';
    const w = kubeMirrorWorld(['a', 'b'], [FINALIZER], rules);
    const plan = planReflection(w);
    assert.ok(plan.findings.some((f) => f.reason === 'TransformFailed'));
    assert.deepEqual(plan.release, []);
  });

  it('is not decided by a plan focused on one namespace, nor in an excluded namespace', () => {
    const w = kubeMirrorWorld(['a'], [FINALIZER]);
    assert.deepEqual(planReflection(w, { namespaces: ['a'] }).release, []);
    assert.deepEqual(planReflection(w, { excludeNamespaces: ['default'] }).release, []);
  });

  it('is not released when the adoption of a copy fails, and a finalizer moved since the plan is not cut', async () => {
    const w = kubeMirrorWorld(['a'], [FINALIZER]);
    for (const o of w.objects) o.metadata.resourceVersion = '5';
    const plan = planReflection(w);
    const cluster = new MemoryCluster();
    const source = sourceOf(w.objects);
    // The copy in a is gone before the adoption: the apply (conditional on what the plan saw) fails.
    await cluster.create(CONFIGMAPS, source);
    const writes = await executePlan(cluster, plan, { typeOf: () => CONFIGMAPS });
    const release = writes.find((x) => x.action === 'release');
    assert.equal(release?.outcome, 'conflict');
    assert.deepEqual((await cluster.get<KubeObject>(CONFIGMAPS, 'default', 'app')).metadata.finalizers, [FINALIZER]);
    // A list that changed since the plan: the JSON patch's test refuses, nothing is removed.
    const moved = { ...plan, apply: [], release: plan.release.map((r) => ({ ...r, index: 1 })) };
    const [refused] = await executePlan(cluster, moved, { typeOf: () => CONFIGMAPS });
    assert.equal(refused?.outcome, 'conflict');
    assert.deepEqual((await cluster.get<KubeObject>(CONFIGMAPS, 'default', 'app')).metadata.finalizers, [FINALIZER]);
    const [done] = await executePlan(cluster, { ...plan, apply: [] }, { typeOf: () => CONFIGMAPS });
    assert.equal(done?.outcome, 'done');
    assert.deepEqual((await cluster.get<KubeObject>(CONFIGMAPS, 'default', 'app')).metadata.finalizers, []);
  });
});
