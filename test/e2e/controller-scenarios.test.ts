import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../kube/client.ts';
import { checkScenario, loadScenarios } from '../scenarios/catalogue.ts';
import {
  adminClient,
  createObjects,
  deleteObjects,
  ensureNamespaces,
  listObjects,
  startController,
} from './support/controller-harness.ts';

describe('the scenario catalogue through the controller on a real API server', () => {
  let client: KubeClient;
  before(async () => {
    client = await adminClient();
  });
  after(() => client.close());

  for (const scenario of loadScenarios()) {
    it(`${scenario.file}: ${scenario.name}`, async () => {
      const namespaces = scenario.namespaces.map((n) => n.name);
      await ensureNamespaces(client, scenario.namespaces);
      // Objects that were there before the scenario (system ones in default or kube-system) are left alone.
      const before = new Set((await listObjects(client, namespaces)).map((o) => o.metadata.uid ?? ''));
      await createObjects(client, scenario.objects);
      const running = await startController(client, namespaces);
      try {
        await running.settle();
        const objects = (await listObjects(client, namespaces)).filter((o) => !before.has(o.metadata.uid ?? ''));
        assert.deepEqual(checkScenario(scenario, { objects, findings: running.findings() }), []);
      } finally {
        await running.stop();
        await deleteObjects(client, namespaces, before);
      }
    });
  }
});
