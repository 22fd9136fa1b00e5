/** The YAML dialect reflect-fn reads and writes: YAML 1.1 as kubectl reads it, never folding lines. */
import type { DocumentOptions, ParseOptions, ScalarTag, SchemaOptions, Tags, ToStringOptions } from 'yaml';

const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';

/**
 * YAML 1.1, so `on`, `y` and `0777` keep the meaning kubectl gives them when written back. Timestamps are read as the
 * strings they spell (as kubectl does) yet still quoted when written, so no tool reads a date where a string was meant.
 */
export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  keepSourceTokens: false,
  customTags: (tags: Tags): Tags =>
    tags.map((t) =>
      typeof t === 'object' && t.tag === TIMESTAMP_TAG ? ({ ...t, resolve: (s: string) => s } as ScalarTag) : t,
    ),
};

/** Never fold long scalars; a folded base64 value is a noisy diff. */
export const WRITE_OPTIONS: ToStringOptions = { lineWidth: 0 };
