import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Native } from '../core/index.ts';
import { configMap, pushTo, world } from '../test/fixtures.ts';
import { explainObject, formatExplanation } from './explain.ts';
import { formatStatus, statusDocument } from './status-print.ts';
import { buildStatusReport } from './status-report.ts';

const source = configMap(
  'platform',
  'app-config',
  { LOG_LEVEL: 'debug' },
  pushTo('dev-a, prod-eu', {
    [Native.transform]: 'rules:\n  - path: data.LOG_LEVEL\n    value: error\n    namespacePattern: "prod-*"\n',
  }),
);
const w = world(['platform', 'dev-a', 'prod-eu'], [source]);

describe('kubectl reflect shows transforms', () => {
  it('status marks transformed mirrors', () => {
    const report = buildStatusReport(w);
    const text = formatStatus(report, { format: 'table', allNamespaces: false, noHeaders: false, mirrors: true });
    assert.match(text, /dev-a\/app-config\s+push\+transform\s+missing/);
    const doc = statusDocument(report.sources[0]!) as { status: { mirrors: { transform?: unknown }[] } };
    assert.deepEqual(
      doc.status.mirrors.map((m) => m.transform),
      [
        { applied: [], failed: [] },
        { applied: [1], failed: [] },
      ],
    );
  });

  it('explain lists the rules applied in each namespace', () => {
    const e = explainObject(
      w,
      { group: '', kind: 'ConfigMap', namespace: 'platform', name: 'app-config' },
      'configmap',
    );
    const text = formatExplanation(e);
    assert.match(
      text,
      /Transform rules, per namespace:\n {2}dev-a {2}applied: none\n {2}prod-eu {2}applied: 1 data.LOG_LEVEL \(value, prod-\*\)/,
    );
  });

  it('explain says a namespace where a strict rule failed got no mirror, and why', () => {
    const strict = configMap(
      'platform',
      'app-config',
      { LOG_LEVEL: 'debug' },
      pushTo('dev-a, prod-eu', {
        [Native.transform]:
          'rules:\n  - path: data.LOG_LEVEL\n    template: "{{.Labels.tier}}"\n    namespacePattern: "prod-*"\n',
        [Native.transformStrict]: 'true',
      }),
    );
    const e = explainObject(
      world(['platform', 'dev-a', 'prod-eu'], [strict]),
      { group: '', kind: 'ConfigMap', namespace: 'platform', name: 'app-config' },
      'configmap',
    );
    const text = formatExplanation(e);
    assert.match(
      text,
      /^ {2}warning {2}TransformFailed {2}ConfigMap prod-eu\/app-config: transform rule 1 .*\(transform-strict\)/m,
    );
    assert.match(
      text,
      /^prod-eu +yes +blocked +yes +selected by exact "prod-eu" in kube-reflect.io\/to, but not written: a transform-strict rule failed here$/m,
    );
    assert.match(text, /^dev-a +yes +missing +yes +selected by exact "dev-a" in kube-reflect.io\/to$/m);
  });
});
