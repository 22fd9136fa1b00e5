import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { KubeObject, NamespaceInfo, World } from '../core/index.ts';
import { identityOf, planReflection } from '../core/index.ts';
import { loadScenarios } from '../test/scenarios/catalogue.ts';
import { converge } from '../test/scenarios/converge.ts';
import { gatherWorld } from './gatherer.ts';
import { cacheForm, KindIndex } from './kind-index.ts';

/** Fills one kind's index the way the informer does: every object in its cache form. */
function indexOf(world: World, kind: string): KindIndex {
  const apiVersion = world.objects.find((o) => o.kind === kind)?.apiVersion ?? 'v1';
  const index = new KindIndex(apiVersion, kind);
  for (const o of world.objects) {
    if (o.kind !== kind) continue;
    index.update(`${o.metadata.namespace}/${o.metadata.name}`, cacheForm(structuredClone(o), apiVersion, kind));
  }
  return index;
}

/** Asserts that, for every source key and focus, the gathered partial world plans as the whole world of that kind. */
function assertGatheredPlansAsFull(world: World): void {
  for (const kind of new Set(world.objects.map((o) => o.kind))) {
    const full: World = { namespaces: world.namespaces, objects: world.objects.filter((o) => o.kind === kind) };
    const index = indexOf(world, kind);
    for (const key of index.allSourceKeys()) {
      for (const focus of [undefined, ...world.namespaces.map((n) => n.name)]) {
        const [namespace = '', name = ''] = key.split('/');
        const group = index.apiVersion.includes('/') ? index.apiVersion.split('/')[0]! : '';
        const options = {
          sources: [{ group, kind, namespace, name }],
          ...(focus !== undefined ? { namespaces: [focus] } : {}),
        };
        const partial = gatherWorld({ index, namespaces: world.namespaces }, key, focus);
        assert.deepEqual(
          planReflection(partial, options),
          planReflection(full, options),
          `${kind} ${key}${focus ? ` focused on ${focus}` : ''}`,
        );
      }
    }
  }
}

const scenarios = loadScenarios('controller');
// Every scenario before and after converging: sources, mirrors, blockers, Reflector mirrors, pull mirrors.
const worlds = scenarios.flatMap((s) => {
  const start: World = { namespaces: s.namespaces, objects: s.objects };
  return [start, converge(start).world];
});

describe('the gatherer reads a partial world that plans exactly as the whole world', () => {
  it('for every scenario, before and after it converges', () => {
    for (const w of worlds) assertGatheredPlansAsFull(w);
  });

  it('for random mixtures of the scenarios objects (colliding names, rival sources, foreign blockers)', () => {
    const pool = new Map<string, KubeObject>();
    for (const w of worlds) for (const o of w.objects) pool.set(`${identityOf(o)}#${JSON.stringify(o).length}`, o);
    const objects = [...pool.values()];
    const namespaces = new Map<string, NamespaceInfo>();
    for (const w of worlds) for (const n of w.namespaces) namespaces.set(n.name, n);
    fc.assert(
      fc.property(fc.subarray(objects, { minLength: 1, maxLength: 12 }), (picked) => {
        const unique = new Map(picked.map((o) => [identityOf(o), o]));
        const objs = [...unique.values()];
        const names = new Set(objs.map((o) => o.metadata.namespace ?? ''));
        assertGatheredPlansAsFull({
          namespaces: [...namespaces.values()].filter((n) => names.has(n.name) || n.name.startsWith('team')),
          objects: objs,
        });
      }),
      { numRuns: 150 },
    );
  });
});
