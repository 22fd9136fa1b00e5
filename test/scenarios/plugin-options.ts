// A scenario's options block as kubectl reflect takes it (the controller's flag names), for the plugin's unit-tier
// runner (plugin/scenarios.test.ts) and its e2e runner (test/e2e/plugin.test.ts), so the two cannot map it apart.
import assert from 'node:assert/strict';
import type { GlobalOptions } from '../../plugin/options.ts';
import type { ScenarioOptions } from './catalogue.ts';

/** The scenario kinds as kubectl reflect's --kinds names them. */
export const SCENARIO_KIND_NAMES: readonly string[] = [
  'secrets',
  'configmaps',
  'networkpolicies.networking.k8s.io',
  'deployments.apps',
];

/** The options block as command-line flags. */
export function pluginFlagsOf(o: ScenarioOptions): string[] {
  assert.equal(o.maxTargets, undefined, 'the plugin has no --max-targets flag yet: map it before using it');
  return [
    ...(o.excludeNamespaces ? [`--exclude-namespaces=${o.excludeNamespaces.join(',')}`] : []),
    ...(o.pushSourceNamespaces ? [`--push-source-namespaces=${o.pushSourceNamespaces.join(',')}`] : []),
    ...(o.accessKindSourceNamespaces
      ? [`--access-kind-source-namespaces=${o.accessKindSourceNamespaces.join(',')}`]
      : []),
    ...(o.allowAll ? ['--allow-all'] : []),
    ...(o.ignoreUnknown ? ['--ignore-unknown'] : []),
  ];
}

/** The options block as a session's GlobalOptions. */
export function pluginOptionsOf(o: ScenarioOptions): Partial<GlobalOptions> {
  return {
    ...(o.excludeNamespaces ? { excludeNamespaces: o.excludeNamespaces } : {}),
    ...(o.pushSourceNamespaces ? { pushSourceNamespaces: o.pushSourceNamespaces } : {}),
    ...(o.accessKindSourceNamespaces ? { accessKindSourceNamespaces: o.accessKindSourceNamespaces } : {}),
    ...(o.allowAll ? { allowAll: true } : {}),
    ...(o.ignoreUnknown ? { ignoreUnknown: true } : {}),
  };
}
