import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../kube/client.ts';
import { loadScenarios } from '../scenarios/catalogue.ts';
import { adminClient, runScenarioThroughController } from './support/controller-harness.ts';

describe('the scenario catalogue through the controller on a real API server', () => {
  let client: KubeClient;
  before(async () => {
    client = await adminClient();
  });
  after(() => client.close());

  for (const scenario of loadScenarios('controller')) {
    it(`${scenario.file}: ${scenario.name}`, async () => {
      assert.deepEqual(await runScenarioThroughController(client, client, scenario), []);
    });
  }
});
