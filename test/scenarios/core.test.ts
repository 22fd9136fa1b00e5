import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkScenario, loadScenarios } from './catalogue.ts';
import { converge } from './converge.ts';

describe('the scenario catalogue through the core planner', () => {
  const scenarios = loadScenarios();

  it('has at least twenty scenarios', () => {
    assert.ok(scenarios.length >= 20, `only ${scenarios.length} scenarios`);
  });

  for (const scenario of scenarios) {
    it(`${scenario.file}: ${scenario.name}`, () => {
      const result = converge({ namespaces: scenario.namespaces, objects: scenario.objects });
      assert.deepEqual(checkScenario(scenario, { objects: result.world.objects, findings: result.findings }), []);
      // Idempotent: applying the plan once is enough, and the plan for the converged world is empty.
      assert.ok(result.rounds <= 1, `took ${result.rounds} rounds`);
      assert.deepEqual(result.lastPlan.apply, []);
      assert.deepEqual(result.lastPlan.delete, []);
    });
  }
});
