import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlanOptions } from '../../core/index.ts';
import type { ScenarioOptions } from './catalogue.ts';
import { checkScenario, loadAllScenarios, loadScenarios } from './catalogue.ts';
import { converge } from './converge.ts';

/** Maps a scenario's options block to the planner's options, field by field. */
export function planOptionsOf(o: ScenarioOptions): PlanOptions {
  return {
    ...(o.excludeNamespaces === undefined ? {} : { excludeNamespaces: o.excludeNamespaces }),
    ...(o.pushSourceNamespaces === undefined ? {} : { pushSourceNamespaces: o.pushSourceNamespaces }),
    ...(o.accessKindSourceNamespaces === undefined ? {} : { accessKindSourceNamespaces: o.accessKindSourceNamespaces }),
    ...(o.maxTargets === undefined ? {} : { maxTargets: o.maxTargets }),
    ...(o.adopt === undefined ? {} : { adoptReflectorMirrors: o.adopt }),
    ...(o.allowAll === undefined ? {} : { allowAll: o.allowAll }),
    ...(o.ignoreUnknown === undefined ? {} : { ignoreUnknown: o.ignoreUnknown }),
  };
}

describe('the scenario catalogue through the core planner', () => {
  const scenarios = loadScenarios('core');

  it('has at least twenty scenarios, and the core runs every one of them', () => {
    assert.ok(scenarios.length >= 20, `only ${scenarios.length} scenarios`);
    assert.equal(scenarios.length, loadAllScenarios().length);
  });

  for (const scenario of scenarios) {
    it(`${scenario.file}: ${scenario.name}`, () => {
      const result = converge(
        { namespaces: scenario.namespaces, objects: scenario.objects },
        planOptionsOf(scenario.options),
      );
      assert.deepEqual(checkScenario(scenario, { objects: result.world.objects, findings: result.findings }), []);
      // Idempotent: applying the plan once is enough, and the plan for the converged world is empty.
      assert.ok(result.rounds <= 1, `took ${result.rounds} rounds`);
      assert.deepEqual(result.lastPlan.apply, []);
      assert.deepEqual(result.lastPlan.delete, []);
    });
  }
});
