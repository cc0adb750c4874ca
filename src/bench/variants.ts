/**
 * Turns `--engine a,b` × `--config x.json,y.json` into the bench variants, and adapts them to the
 * dataset (stages its labels cannot measure are switched off, with a note naming the flag that
 * keeps them on). No I/O besides the injected config loader.
 */
import path from 'node:path';
import { defaults, type ZakConfig } from '../config/defaults.js';
import { flatten } from '../config/load.js';
import { ENGINE_NAMES, isOneOf, type EngineName } from '../core/choices.js';
import { badFlag } from '../core/errors.js';
import type { Dataset } from './datasets.js';
import type { VariantSpec } from './runner.js';

export interface PlanOptions {
  /** `--engine` values (empty: the config's engine). */
  engines: readonly EngineName[];
  /** `--config` files (empty: the usual config search). */
  configFiles: readonly string[];
  /** Loads the config for one file (or the default search when undefined), flags applied. */
  load: (file: string | undefined) => Promise<ZakConfig>;
  dataset: Dataset;
  /** `--lang` was given: never guess the language. */
  langGiven: boolean;
  /** `--all-stages`: keep every stage as configured even when the dataset cannot score it. */
  allStages: boolean;
}

/** Splits comma lists and checks engine names. @throws UsageError listing the allowed engines. */
export function parseEngineList(values: readonly string[]): EngineName[] {
  const list = values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  return list.map((e) => {
    if (!isOneOf(ENGINE_NAMES, e)) throw badFlag('--engine', e, `must be one of ${ENGINE_NAMES.join(', ')}`);
    return e;
  });
}

/** Config keys whose value differs from `base`, dotted. */
export function settingsDiff(base: ZakConfig, other: ZakConfig): Record<string, unknown> {
  const a = flatten(base as unknown as Record<string, unknown>);
  const b = flatten(other as unknown as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(b)) if (JSON.stringify(v) !== JSON.stringify(a[k])) out[k] = v;
  return out;
}

/** The variants to run, in order, and notes on what was adapted to the dataset. */
export async function planVariants(opts: PlanOptions): Promise<{ variants: VariantSpec[]; notes: string[] }> {
  const notes: string[] = [];
  const ds = opts.dataset;
  const hasText = ds.items.some((i) => i.text !== undefined);
  const hasFields = ds.items.some((i) => i.fields !== undefined);
  const hasBarcodes = ds.items.some((i) => i.barcodes !== undefined);
  const files: Array<string | undefined> = opts.configFiles.length ? [...opts.configFiles] : [undefined];
  const engines: Array<EngineName | undefined> = opts.engines.length ? [...opts.engines] : [undefined];
  const specs: VariantSpec[] = [];
  const noted = new Set<string>();
  const note = (s: string): void => {
    if (!noted.has(s)) notes.push(s);
    noted.add(s);
  };
  for (const file of files) {
    const loaded = await opts.load(file);
    for (const engine of engines) {
      const config = structuredClone(loaded);
      if (engine) config.engine = engine;
      if (!opts.allStages) {
        if (!engine && !hasText && !hasFields && hasBarcodes && config.engine === defaults.engine) {
          config.engine = 'none';
          note('dataset has only barcode labels: OCR off (engine none); pass --engine or --all-stages to run it');
        }
        if (!hasBarcodes && config.barcode.enabled && config.engine !== 'none') {
          config.barcode.enabled = false;
          note('dataset has no barcode labels: barcode reader off; pass --all-stages to keep it on');
        }
      }
      if (!opts.langGiven && ds.lang === 'ben' && !config.lang.split('+').includes('ben')) {
        config.lang = 'ben';
        note('dataset text is Bengali script: lang ben (pass --lang to choose)');
      }
      const base = file ? path.basename(file).replace(/\.[^.]+$/u, '') : undefined;
      const name = base && engine ? `${base}:${engine}` : (base ?? engine ?? config.engine);
      const source = [file ? `--config ${file}` : '', engine ? `--engine ${engine}` : ''].filter(Boolean).join(' ') || `engine ${config.engine} (config)`;
      specs.push({ name, source, config, settings: {} });
    }
  }
  const seen = new Map<string, number>();
  for (const s of specs) {
    const n = (seen.get(s.name) ?? 0) + 1;
    seen.set(s.name, n);
    if (n > 1) s.name = `${s.name}#${n}`;
  }
  const first = specs[0]!.config;
  for (const s of specs.slice(1)) s.settings = settingsDiff(first, s.config);
  return { variants: specs, notes };
}
