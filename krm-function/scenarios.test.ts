// Every scenario of the shared catalogue (test/scenarios) through reflect-fn: the scenario's objects become the
// package's items, its namespaces the function config's namespaces; the output must meet the scenario's expectations
// and be a fixed point of the function.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import type { Finding, KubeObject } from '../core/index.ts';
import { Reflector } from '../core/index.ts';
import type { Scenario } from '../test/scenarios/catalogue.ts';
import { checkScenario, loadScenarios } from '../test/scenarios/catalogue.ts';
import { CONFIG_API_VERSION, CONFIG_KIND } from './function-config.ts';
import { runFunction } from './protocol.ts';
import type { KrmResult } from './krm-types.ts';

function resourceList(scenario: Scenario): string {
  const functionConfig = {
    apiVersion: CONFIG_API_VERSION,
    kind: CONFIG_KIND,
    metadata: { name: 'reflect' },
    spec: { namespaces: scenario.namespaces.map((n) => ({ name: n.name, labels: n.labels })) },
  };
  return stringify(
    { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: scenario.objects, functionConfig },
    { version: '1.1', lineWidth: 0 },
  );
}

function run(stdin: string) {
  return runFunction({ args: [], stdin, readFile: () => undefined });
}

/** Turns results back into findings, for the catalogue's checker. */
function findingsOf(results: readonly KrmResult[]): Finding[] {
  return results.map((r) => {
    const annotation = /^metadata\.annotations\[(.*)\]$/.exec(r.field?.path ?? '')?.[1];
    return {
      severity: r.severity,
      reason: r.tags?.reason as Finding['reason'],
      message: r.message,
      object: {
        apiVersion: r.resourceRef?.apiVersion ?? '',
        kind: r.resourceRef?.kind ?? '',
        namespace: r.resourceRef?.namespace ?? '',
        name: r.resourceRef?.name ?? '',
      },
      ...(annotation === undefined ? {} : { annotation }),
    };
  });
}

// reflect-fn never adopts mirrors made by emberstack Reflector (a package's objects are the user's, not ours), where
// the controller does; in those scenarios the Reflector mirror must come out exactly as it went in.
function isReflectorMirror(obj: KubeObject): boolean {
  return (obj.metadata.annotations?.[Reflector.autoReflects] ?? '').toLowerCase() === 'true';
}

describe('the scenario catalogue through reflect-fn', () => {
  for (const scenario of loadScenarios()) {
    it(`${scenario.file}: ${scenario.name}`, () => {
      const first = run(resourceList(scenario));
      assert.ok(first.code !== 2, first.stderr);
      const out = parse(first.stdout, { version: '1.1' }) as { items: KubeObject[]; results?: KrmResult[] };
      const reflectorMirrors = scenario.objects.filter(isReflectorMirror);
      if (reflectorMirrors.length > 0) {
        for (const m of reflectorMirrors) assert.ok(out.items.some((o) => JSON.stringify(o) === JSON.stringify(m)));
      } else {
        const problems = checkScenario(scenario, { objects: out.items, findings: findingsOf(out.results ?? []) });
        assert.deepEqual(problems, []);
      }
      const hasError = (out.results ?? []).some((r) => r.severity === 'error');
      assert.equal(first.code, hasError ? 1 : 0);
      const second = run(first.stdout);
      assert.equal(second.stdout, first.stdout, 'running the function on its own output changed it');
    });
  }
});
