// Renders this chart with the project's pinned helm (built by test/cluster/tools.sh), for tests and scripts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { binCacheDir, toolsScript, toolVersions } from '../../test/cluster/tools.ts';

/** The chart's directory. */
export const chartDir = dirname(fileURLToPath(import.meta.url));

/** The Kubernetes version charts are rendered for (helm's offline default is far older than kubeVersion allows). */
export const KUBE_VERSION = '1.33.0';

/** A rendered object, loosely typed for assertions. */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** Returns the helm binary, building it with tools.sh first if it is missing. */
export function helmPath(): string {
  const path = join(binCacheDir(), 'helm', toolVersions().helm, 'helm');
  if (!existsSync(path)) {
    const r = spawnSync('bash', [toolsScript, 'helm'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0 || !existsSync(path)) throw new Error(`building helm with ${toolsScript} failed`);
  }
  return path;
}

/** Options of one render. */
export interface RenderOptions {
  release?: string;
  namespace?: string;
  /** Extra API versions the fake cluster serves, e.g. monitoring.coreos.com/v1. */
  apiVersions?: string[];
}

/** The image renders use unless the values name one (the chart has no default: no public registry publishes it). */
export const RENDER_IMAGE = 'registry.example/kube-reflect';

/** Runs helm with the values (as a values file over RENDER_IMAGE); returns status and output without throwing. */
export function helm(args: string[], values: object = {}): { status: number; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kube-reflect-chart-'));
  try {
    const base = join(dir, 'image.yaml');
    writeFileSync(base, JSON.stringify({ image: { repository: RENDER_IMAGE } }));
    const file = join(dir, 'values.yaml');
    writeFileSync(file, JSON.stringify(values));
    const r = spawnSync(helmPath(), [...args, '-f', base, '-f', file], {
      encoding: 'utf8',
      env: { ...process.env, HELM_CACHE_HOME: dir, HELM_CONFIG_HOME: dir, HELM_DATA_HOME: dir },
    });
    return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Returns the argv of `helm template` for this chart. */
export function templateArgs(options: RenderOptions = {}): string[] {
  return [
    'template',
    options.release ?? 'kube-reflect',
    chartDir,
    '--namespace',
    options.namespace ?? 'kube-reflect',
    '--kube-version',
    KUBE_VERSION,
    ...(options.apiVersions ?? []).flatMap((v) => ['--api-versions', v]),
  ];
}

/** Renders the chart to YAML text; throws with helm's message when it fails. */
export function renderYaml(values: object = {}, options: RenderOptions = {}): string {
  const r = helm(templateArgs(options), values);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Renders the chart and parses every document. */
export function renderObjects(values: object = {}, options: RenderOptions = {}): RenderedObject[] {
  return parseAllDocuments(renderYaml(values, options))
    .map((d) => d.toJS() as RenderedObject | null)
    .filter((o): o is RenderedObject => o !== null);
}
