import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { buildBenchWorld } from './fake-world.ts';
import { planRows } from '../../core/index.ts';
if (!existsSync('/tmp/statusfast/world.json'))
  writeFileSync(
    '/tmp/statusfast/world.json',
    JSON.stringify(buildBenchWorld({ sources: 1000, fanout: 10, targets: 100 })),
  );
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (let i = 0; i < 3; i++) {
  const objs = JSON.parse(readFileSync('/tmp/statusfast/world.json', 'utf8'));
  const c0 = cpu();
  const { rows } = planRows(objs, {}, (r) => r.namespace === 'bench-src');
  const c1 = cpu();
  rows.next();
  let n = 1;
  for (const _ of rows) n++;
  console.log('setup cpu', (c1 - c0).toFixed(0), 'rows', (cpu() - c1).toFixed(0), n);
}
