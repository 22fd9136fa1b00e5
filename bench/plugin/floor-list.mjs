// The floor of `kubectl reflect status`: a bare node process (no bundle, no client library) that makes the lists a
// status makes (namespaces, ConfigMaps and Secrets cluster-wide, in parallel, 5,000 per page), parses every page and
// exits. No status can show the world before it has read it: bench/plugin/run.ts divides status figures by this.
// Run: KUBECONFIG=... node bench/plugin/floor-list.mjs. Reads the test control plane's kubeconfig (inline client
// certificate data) with regular expressions, so nothing is loaded that a floor would not need; prints the count.
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:https';

const kubeconfig = readFileSync(process.env.KUBECONFIG ?? '', 'utf8');
const field = (name) => {
  const m = kubeconfig.match(new RegExp(`${name}: (\\S+)`));
  if (m === null) throw new Error(`kubeconfig has no ${name}`);
  return m[1];
};
const pem = (name) => Buffer.from(field(name), 'base64');
const server = field('server');
const agent = new Agent({
  keepAlive: true,
  ca: pem('certificate-authority-data'),
  cert: pem('client-certificate-data'),
  key: pem('client-key-data'),
});

const page = (path) =>
  new Promise((resolve, reject) => {
    get(`${server}${path}`, { agent, headers: { accept: 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
    }).on('error', reject);
  });

const list = async (resource) => {
  let n = 0;
  let cont = '';
  do {
    const p = await page(`/api/v1/${resource}?limit=5000${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
    n += p.items.length;
    cont = p.metadata.continue ?? '';
  } while (cont);
  return n;
};

const counts = await Promise.all(['namespaces', 'configmaps', 'secrets'].map(list));
agent.destroy();
console.log(`read ${counts.reduce((a, b) => a + b, 0)} objects`);
