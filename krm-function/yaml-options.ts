/**
 * The YAML dialect reflect-fn reads and writes: scalars resolve exactly as Kubernetes resolves them (sigs.k8s.io/yaml
 * on go-yaml v2), never folding lines.
 */
import type {
  CollectionTag,
  DocumentOptions,
  ParseOptions,
  ScalarTag,
  SchemaOptions,
  Tags,
  ToStringOptions,
} from 'yaml';

const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';
const STR_TAG = 'tag:yaml.org,2002:str';
const INT_TAG = 'tag:yaml.org,2002:int';
const FLOAT_TAG = 'tag:yaml.org,2002:float';
// Tags of the `yaml` package's YAML 1.1 schema that go-yaml v2 does not have, or reads differently: integers and
// floats (replaced below), sets, ordered maps, pairs and binary (read as the text they spell).
const DROPPED_TAGS = new Set([
  INT_TAG,
  FLOAT_TAG,
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
]);
const NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const GO_DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;

/**
 * Returns the integer go-yaml v2 reads from a plain scalar (strconv.ParseInt, then ParseUint, base 0, underscores
 * removed), or undefined when it reads something else.
 */
export function goInt(text: string): bigint | undefined {
  if (!/^[-+0-9]/.test(text)) return undefined;
  const plain = text.replace(/_/g, '');
  if (!GO_INT.test(plain)) return undefined;
  const sign = plain[0] === '-' || plain[0] === '+' ? plain[0] : '';
  const body = plain.slice(sign.length);
  // A leading 0 means octal to Go; BigInt would read it as decimal.
  const magnitude = /^0[0-7]+$/.test(body) ? BigInt(`0o${body.slice(1)}`) : BigInt(body);
  const n = sign === '-' ? -magnitude : magnitude;
  if (n >= INT64_MIN && n <= INT64_MAX) return n;
  return sign === '' && n <= UINT64_MAX ? n : undefined;
}

/** Returns the float go-yaml v2 reads from a plain scalar that is not an integer, or undefined when it is not one. */
export function goFloat(text: string): number | undefined {
  let n: number;
  if (text.startsWith('.')) {
    if (!GO_DOT_FLOAT.test(text)) return undefined;
    n = Number(text);
  } else {
    if (!/^[-+0-9]/.test(text)) return undefined;
    const plain = text.replace(/_/g, '');
    if (!GO_FLOAT.test(plain)) return undefined;
    n = Number(plain);
  }
  // strconv.ParseFloat fails on overflow, and go-yaml then keeps the text as a string.
  return Number.isFinite(n) ? n : undefined;
}

/** A RegExp-shaped test, which is what the `yaml` package asks a tag for. */
function tester(test: (text: string) => boolean): RegExp {
  return Object.assign(/(?:)/, { test });
}

const isInt = (value: unknown) => typeof value === 'bigint' || Number.isInteger(value);

// Integers as JavaScript numbers while they are exact, as BigInt beyond 2^53, so every digit survives.
const intTag: ScalarTag = {
  identify: isInt,
  default: true,
  tag: INT_TAG,
  test: tester((s) => goInt(s) !== undefined),
  resolve: (s: string) => {
    const n = goInt(s)!;
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  },
  stringify: ({ value }) => (typeof value === 'number' && Object.is(value, -0) ? '0' : String(value)),
};

const floatTag: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: FLOAT_TAG,
  test: tester((s) => NAN_INF.test(s) || (goInt(s) === undefined && goFloat(s) !== undefined)),
  resolve: (s: string) =>
    NAN_INF.test(s)
      ? s.endsWith('nan') || s.endsWith('NaN') || s.endsWith('NAN')
        ? NaN
        : s.startsWith('-')
          ? -Infinity
          : Infinity
      : goFloat(s)!,
  stringify: ({ value }) => {
    const n = Number(value);
    if (Number.isNaN(n)) return '.nan';
    if (!Number.isFinite(n)) return n < 0 ? '-.inf' : '.inf';
    return Object.is(n, -0) ? '0' : JSON.stringify(n);
  },
};

/** The format that marks a scalar to be written as the exact text it was read from (see keepScalarText). */
export const KEEP_FORMAT = 'KEEP';

// Scalars marked KEEP are written as their source text: an edit of one field leaves the others' bytes as they were.
// Its test never matches, so it never decides what a scalar read is.
const keepTag: ScalarTag = {
  identify: () => true,
  default: true,
  tag: STR_TAG,
  format: KEEP_FORMAT,
  test: tester(() => false),
  resolve: (s: string) => s,
  stringify: (node) => (node as { srcToken?: { source?: string } }).srcToken?.source ?? String(node.value),
};

function goTags(tags: Tags, keep = true): Tags {
  const kept = tags.filter((t) => typeof t !== 'object' || !DROPPED_TAGS.has(t.tag));
  const out: (ScalarTag | CollectionTag)[] = [];
  const asText: (ScalarTag | CollectionTag)[] = [];
  for (const t of tags) {
    if (typeof t !== 'object') continue;
    // Timestamps and sexagesimal numbers (`01:30`) are read as the strings they spell, as go-yaml reads them, yet
    // still quoted when written, so no YAML 1.1 tool reads a date or a number where a string was meant.
    if (t.tag === TIMESTAMP_TAG || (t.format === 'TIME' && (t.tag === INT_TAG || t.tag === FLOAT_TAG))) {
      asText.push({ ...(t as ScalarTag), identify: () => false, resolve: (s: string) => s } as ScalarTag);
    } else if (kept.includes(t)) out.push(t);
  }
  // The first tag whose test matches a plain scalar decides what it is.
  // The `yaml` package picks, among the tags that identify a value, those with a test; the string tag needs one too
  // (never matching) so that a string not marked KEEP is still written as a string.
  const str = out.find((t) => t.tag === STR_TAG) as ScalarTag;
  const strTested: ScalarTag = { ...str, test: tester(() => false) };
  return keep ? [...out, intTag, floatTag, ...asText, strTested, keepTag] : [...out, intTag, floatTag, ...asText];
}

/**
 * YAML 1.1 as Kubernetes reads it (go-yaml v2): `on`, `y` and `0777` keep the meaning kubectl gives them when written
 * back, while `01:30` and `16:9` stay strings (go-yaml has no sexagesimal numbers) and integers beyond 2^53 keep every
 * digit.
 */
export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  keepSourceTokens: false,
  customTags: goTags,
};

/**
 * YAML_OPTIONS for writing values that were never read (new mirrors): the same reading of every scalar, without the
 * KEEP machinery, which costs about half again as much per scalar written.
 */
export const NEW_VALUE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  ...YAML_OPTIONS,
  customTags: (tags: Tags) => goTags(tags, false),
};

/** Never fold long scalars (a folded base64 value is a noisy diff); flow maps as people write them: `{a: 1}`. */
export const WRITE_OPTIONS: ToStringOptions = { lineWidth: 0, flowCollectionPadding: false };
