/**
 * `zakocr --version --verbose`: every component a result depends on, as `doctor` knows them, without starting an
 * engine: versions come from the installed packages' package.json, the model names from models/manifest.json and
 * the engines' plan (ocr/plan.ts), and the pipeline version is the one a scan with this folder's configuration stamps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { LANGS, parseLangs } from '../core/choices.js';
import { errorMessage } from '../core/errors.js';
import { ZAKOCR_VERSION } from '../core/version.js';
import { loadConfig } from '../config/load.js';
import { readManifest } from '../ocr/paddle/models.js';
import { plannedModels } from '../ocr/plan.js';
import { TESSDATA_VARIANT } from '../ocr/tesseract/lang-data.js';
import { pipelineVersion } from '../pipeline/version.js';

const require = createRequire(import.meta.url);

/**
 * An installed package's version, or null. Read from its package.json on the module search path (not through
 * `require`: packages whose `exports` leave package.json out cannot be required that way).
 */
export function packageVersion(name: string): string | null {
  for (const dir of require.resolve.paths(name) ?? []) {
    const file = path.join(dir, name, 'package.json');
    if (!existsSync(file)) continue;
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? null;
    } catch {
      return null;
    }
  }
  return null;
}

const installed = (name: string) => packageVersion(name) ?? 'not installed';

/** Component → version, one pair a line of `--version --verbose`, in the order printed. */
export async function componentVersions(cwd = process.cwd()): Promise<Array<[string, string]>> {
  const lines: Array<[string, string]> = [['zakocr', ZAKOCR_VERSION]];
  try {
    const { config, filepath } = await loadConfig({ cwd });
    const langs = parseLangs(config.lang);
    const models = plannedModels(config.engine, langs, config.ocr, config.device);
    const pv = pipelineVersion(config, { name: config.engine, models: models.map((m) => m.name), device: 'none', version: '', languages: langs });
    lines.push(['pipeline', `${pv} (engine ${config.engine}, lang ${config.lang}, ${filepath ? `config ${filepath}` : 'default settings'})`]);
    const manifest = readManifest();
    const pp = manifest.models;
    lines.push(['PP-OCR models', `${pp.det.name}, ${pp.cls.name}, ${pp.rec.name} (${manifest.package.name} ${installed(manifest.package.name)})`]);
  } catch (err) {
    // A broken config or manifest must not hide the other versions; `zakocr doctor` says how to fix it.
    lines.push(['pipeline', `unknown: ${errorMessage(err).split('\n')[0]}`]);
  }
  lines.push(['Tesseract data', `${TESSDATA_VARIANT}: ${LANGS.map((l) => `${l} (@tesseract.js-data/${l} ${installed(`@tesseract.js-data/${l}`)})`).join(', ')}`]);
  for (const pkg of ['onnxruntime-node', 'tesseract.js', 'sharp', 'zxing-wasm', 'pdfjs-dist']) lines.push([pkg, installed(pkg)]);
  lines.push(['node', `${process.versions.node} (${process.platform}-${process.arch})`]);
  return lines;
}

/** The `--version --verbose` text: aligned `name  version` lines. */
export async function formatVersions(cwd?: string): Promise<string> {
  const lines = await componentVersions(cwd);
  const width = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
