// Every scenario of the shared catalogue (test/scenarios) through reflect-fn: the scenario's objects become the
// package's items, its namespaces the function config's namespaces; the output must meet the scenario's expectations
// and be a fixed point of the function. Its options are the function config's fields of the same names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import type { Finding, KubeObject } from '../core/index.ts';
import type { Scenario } from '../test/scenarios/catalogue.ts';
import { checkScenario, loadScenarios, scenarioFor } from '../test/scenarios/catalogue.ts';
import { CONFIG_API_VERSION, CONFIG_KIND } from './function-config.ts';
import { runFunction } from './protocol.ts';
import type { KrmResult } from './krm-types.ts';

function resourceList(scenario: Scenario): string {
  const functionConfig = {
    apiVersion: CONFIG_API_VERSION,
    kind: CONFIG_KIND,
    metadata: { name: 'reflect' },
    // The scenario's options are the config's fields of the same names.
    spec: { namespaces: scenario.namespaces.map((n) => ({ name: n.name, labels: n.labels })), ...scenario.options },
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

describe('the scenario catalogue through reflect-fn', () => {
  for (const scenario of loadScenarios('krm')) {
    it(`${scenario.file}: ${scenario.name}`, () => {
      const first = run(resourceList(scenario));
      assert.ok(first.code !== 2, first.stderr);
      const out = parse(first.stdout, { version: '1.1' }) as { items: KubeObject[]; results?: KrmResult[] };
      // Where reflect-fn deliberately differs, the scenario file says so and why (`surfaces.krm`).
      const problems = checkScenario(scenarioFor(scenario, 'krm'), {
        objects: out.items,
        findings: findingsOf(out.results ?? []),
      });
      assert.deepEqual(problems, []);
      const hasError = (out.results ?? []).some((r) => r.severity === 'error');
      assert.equal(first.code, hasError ? 1 : 0);
      const second = run(first.stdout);
      assert.equal(second.stdout, first.stdout, 'running the function on its own output changed it');
    });
  }
});
