import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  K8sReplicator,
  KNOWN_NATIVE_KEYS,
  KNOWN_REFLECTOR_KEYS,
  KubeMirror,
  Kubed,
  Labels,
  Mittwald,
  NATIVE_PREFIX,
  REFLECTOR_PREFIX,
} from './names.ts';

const doc = readFileSync(new URL('../docs/annotations.md', import.meta.url), 'utf8');

describe('docs/annotations.md and core/names.ts', () => {
  it('documents every annotation and label name the core knows', () => {
    for (const key of [...KNOWN_NATIVE_KEYS, ...KNOWN_REFLECTOR_KEYS, ...Object.values(Labels)]) {
      assert.ok(doc.includes(`\`${key}\``), `${key} is not documented`);
    }
  });

  it('documents every key of the peer dialects', () => {
    for (const key of [K8sReplicator, Mittwald, Kubed, KubeMirror].flatMap((d) => Object.values(d))) {
      assert.ok(doc.includes(`\`${key}\``), `${key} is not documented`);
    }
  });

  it('documents no name the core does not know', () => {
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`\`((?:${escape(NATIVE_PREFIX)}|${escape(REFLECTOR_PREFIX)})[a-z-]+)`, 'g');
    for (const [, key] of doc.matchAll(pattern)) {
      assert.ok(
        KNOWN_NATIVE_KEYS.has(key!) || KNOWN_REFLECTOR_KEYS.has(key!),
        `${key} is documented but unknown to the core`,
      );
    }
  });
});
