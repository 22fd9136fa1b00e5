/**
 * Generated ResourceList texts for the fuzz and differential tests (imported by tests only): block-style lists whose
 * items use random YAML features (anchors and aliases, tags, flow and block styles, YAML 1.1 scalars, comments) and
 * random reflection annotations, with names drawn from small pools so that sources, mirrors and pulls meet.
 */
import fc from 'fast-check';

const PLAIN = [
  'yes',
  'no',
  'on',
  'Off',
  'y',
  'n',
  '01:30',
  '16:9',
  '1:5',
  '0:1:2:3:4:5',
  '0o17',
  '0x1F',
  '0777',
  '08',
  '1e3',
  '1e400',
  '.inf',
  '-.Inf',
  '.nan',
  '~',
  'null',
  '12345678901234567890',
  '9007199254740993',
  '2024-01-01',
  '2001-12-14t21:59:43.10-05:00',
  '1_000',
  'true',
  'False',
  'abc',
  'a b',
  '-1',
  '+12',
  '3.',
  '.5',
  'v1.2.3',
  'http://x.example/a?b=c&d=*e',
  'é',
  '0xFFFFFFFFFFFFFFFFFF',
  '-9223372036854775809',
];
const QUOTED = ['"01:30"', "'yes'", '"a: b"', "'it''s'", '"\\u00e9\\t"', '"#not a comment"', "''", '"*x"'];
const TAGS = ['', '', '', '', '!!str ', '!!int ', '!custom '];
const NAMES = ['a', 'b', 'shared', 'db'];
const NAMESPACES = ['platform', 'team-a', 'team-b', 'apps'];
const TO = ['team-a', 'team-*', 'all', '"team-a, !team-b"', 'regex:^team-', '"("'];

/** What the fuzz needs to know of a generated list besides its text. */
export interface GeneratedList {
  text: string;
  /** The text of each item that has no reflection annotation: it must come out byte for byte. */
  unrelated: string[];
}

interface ValueSpec {
  scalar: number;
  quoted: boolean;
  tag: number;
  anchor: boolean;
  alias: number | null;
  comment: boolean;
}

const valueSpec: fc.Arbitrary<ValueSpec> = fc.record({
  scalar: fc.nat(),
  quoted: fc.boolean(),
  tag: fc.nat(),
  anchor: fc.boolean(),
  alias: fc.option(fc.nat(), { freq: 4 }),
  comment: fc.boolean(),
});

const itemSpec = fc.record({
  kind: fc.constantFrom('ConfigMap', 'Secret', 'Widget', 'Namespace'),
  name: fc.constantFrom(...NAMES),
  namespace: fc.constantFrom(...NAMESPACES),
  annotation: fc.constantFrom('none', 'none', 'to', 'from', 'reflector'),
  to: fc.constantFrom(...TO),
  from: fc.constantFrom(...NAMES),
  flowMeta: fc.boolean(),
  flowData: fc.boolean(),
  data: fc.array(valueSpec, { maxLength: 5 }),
  headComment: fc.boolean(),
});

type ItemSpec = typeof itemSpec extends fc.Arbitrary<infer T> ? T : never;

/** Generated ResourceList texts; with `crossItemAliases`, an alias may name an anchor of an earlier item. */
export function resourceListText(opts: { crossItemAliases: boolean }): fc.Arbitrary<string> {
  return resourceLists(opts).map((l) => l.text);
}

/** Generated ResourceLists with the texts of their unrelated items. */
export function resourceLists(opts: { crossItemAliases: boolean }): fc.Arbitrary<GeneratedList> {
  return generatedItems(opts).map((items) => listOf(items));
}

/** One generated item: its text, and whether reflect-fn has nothing to do with it (it must come out byte for byte). */
interface GeneratedItem {
  text: string;
  unrelated: boolean;
}

const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n';

function listOf(items: GeneratedItem[]): GeneratedList {
  return {
    text: `${HEAD}${items.map((i) => i.text).join('')}`,
    unrelated: items.filter((i) => i.unrelated).map((i) => i.text),
  };
}

function generatedItems(opts: { crossItemAliases: boolean }): fc.Arbitrary<GeneratedItem[]> {
  return fc.array(itemSpec, { minLength: 1, maxLength: 8 }).map((specs) => {
    const anchors: string[] = [];
    let next = 0;
    return specs.map((spec) => {
      const own: string[] = [];
      const value = (v: ValueSpec): string => {
        const pool = opts.crossItemAliases ? [...anchors, ...own] : own;
        if (v.alias !== null && pool.length > 0) return `*${pool[v.alias % pool.length]}`;
        const text = v.quoted ? QUOTED[v.scalar % QUOTED.length]! : PLAIN[v.scalar % PLAIN.length]!;
        const tag = TAGS[v.tag % TAGS.length]!;
        if (!v.anchor) return `${tag}${text}`;
        const name = `a${next++}`;
        own.push(name);
        return `&${name} ${tag}${text}`;
      };
      const text = itemText(spec, value);
      anchors.push(...own);
      return { text, unrelated: spec.annotation === 'none' };
    });
  });
}

/** A generated list with one item holding nested aliases that fan out (a "billion laughs" of random size). */
export interface FanOutList extends GeneratedList {
  /** How many nodes the fan-out's aliases add when expanded. */
  expansion: number;
}

/**
 * Generated ResourceLists with a fan-out item at a random place: `levels` anchored lists or maps, each holding `width`
 * aliases of the one before, from a few nodes to billions when expanded, in an item reflect-fn reads (it pushes) or
 * one it has nothing to do with (which must then come out byte for byte, unless the whole list is refused).
 */
export function fanOutLists(): fc.Arbitrary<FanOutList> {
  const fanOut = fc.record({
    levels: fc.integer({ min: 1, max: 8 }),
    width: fc.integer({ min: 1, max: 12 }),
    maps: fc.boolean(),
    pushes: fc.boolean(),
    at: fc.nat(),
  });
  return fc.tuple(generatedItems({ crossItemAliases: true }), fanOut).map(([items, f]) => {
    const { text, expansion } = fanOutItem(f);
    const all = [...items];
    all.splice(f.at % (items.length + 1), 0, { text, unrelated: !f.pushes });
    return { ...listOf(all), expansion };
  });
}

function fanOutItem(f: { levels: number; width: number; maps: boolean; pushes: boolean }): {
  text: string;
  expansion: number;
} {
  const lines = [
    '- apiVersion: example.com/v1',
    '  kind: Widget',
    '  metadata:',
    '    name: fan',
    '    namespace: apps',
  ];
  if (f.pushes) lines.push('    annotations:', '      kube-reflect.io/to: team-a');
  lines.push('  spec:');
  const collection = (values: string[]) =>
    f.maps ? `{${values.map((v, i) => `k${i}: ${v}`).join(', ')}}` : `[${values.join(', ')}]`;
  // Nodes in one expanded copy of a level: the collection itself, its keys if it is a map, and its values.
  let size = 1 + (f.maps ? 2 : 1) * f.width;
  let expansion = 0;
  lines.push(`    l0: &f0 ${collection(Array<string>(f.width).fill('lol'))}`);
  for (let i = 1; i <= f.levels; i++) {
    lines.push(`    l${i}: &f${i} ${collection(Array<string>(f.width).fill(`*f${i - 1}`))}`);
    expansion += f.width * size;
    size = 1 + (f.maps ? f.width : 0) + f.width * size;
  }
  return { text: `${lines.join('\n')}\n`, expansion };
}

function itemText(spec: ItemSpec, value: (v: ValueSpec) => string): string {
  const annotations: Record<string, string> = {};
  if (spec.annotation === 'to') annotations['kube-reflect.io/to'] = spec.to;
  if (spec.annotation === 'from') annotations['kube-reflect.io/from'] = `platform/${spec.from}`;
  if (spec.annotation === 'reflector') {
    annotations['reflector.v1.k8s.emberstack.com/reflection-allowed'] = '"true"';
    annotations['reflector.v1.k8s.emberstack.com/reflection-auto-enabled'] = '"true"';
  }
  const ns = spec.kind === 'Namespace' ? '' : spec.namespace;
  const lines: string[] = [];
  if (spec.headComment) lines.push('# a comment above the item');
  lines.push(`- apiVersion: ${spec.kind === 'Widget' ? 'example.com/v1' : 'v1'}`, `  kind: ${spec.kind}`);
  const ann = Object.entries(annotations);
  const name = spec.kind === 'Namespace' ? spec.namespace : spec.name;
  if (spec.flowMeta) {
    const a = ann.length === 0 ? '' : `, annotations: {${ann.map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
    lines.push(`  metadata: {name: ${name}${ns === '' ? '' : `, namespace: ${ns}`}${a}}`);
  } else {
    lines.push('  metadata:', `    name: ${name}`);
    if (ns !== '') lines.push(`    namespace: ${ns}`);
    if (ann.length > 0) lines.push('    annotations:', ...ann.map(([k, v]) => `      ${k}: ${v}`));
  }
  if (spec.kind !== 'Namespace' && spec.data.length > 0) {
    const field = spec.kind === 'Widget' ? 'spec' : 'data';
    const entries = spec.data.map((v, i) => [`k${i}`, value(v), v.comment] as const);
    if (spec.flowData) lines.push(`  ${field}: {${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}`);
    else {
      lines.push(`  ${field}:`);
      for (const [k, v, comment] of entries) lines.push(`    ${k}: ${v}${comment ? '  # why' : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
