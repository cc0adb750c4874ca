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

export interface ModelsManifest {
  schema: string;
  package: { name: string; version: string; entry: string; assetsDir: string };
  models: Record<ModelRole, ModelEntry>;
}

export interface ResolvedModel extends ModelEntry {
  role: ModelRole;
  /** Absolute path on disk. */
  path: string;
}

/** `models/manifest.json` at the repository root (two levels above dist/ocr/paddle or src/ocr/paddle). */
export const MANIFEST_PATH = fileURLToPath(new URL('../../../models/manifest.json', import.meta.url));

const REINSTALL_HINT = 'Run `npm install` in the zakocr folder to restore the model package.';

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

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Resolves every model of the manifest and verifies size and SHA-256.
 * @throws MissingResourceError naming the file, what was expected and what was found.
 */
export async function resolveModels(manifest = readManifest()): Promise<Record<ModelRole, ResolvedModel>> {
  const dir = packageAssetsDir(manifest);
  const out = {} as Record<ModelRole, ResolvedModel>;
  for (const role of ['det', 'cls', 'rec', 'dict'] as const) {
    const entry = manifest.models[role];
    const file = path.join(dir, entry.file);
    let size: number;
    try {
      size = statSync(file).size;
    } catch (err) {
      throw new MissingResourceError(`Model file ${entry.file} (${entry.name}) not found at ${file}`, {
        hint: REINSTALL_HINT,
        cause: err,
      });
    }
    if (size !== entry.bytes) {
      throw new MissingResourceError(
        `Model file ${file} has ${size} bytes; models/manifest.json expects ${entry.bytes} (${manifest.package.name}@${manifest.package.version})`,
        { hint: REINSTALL_HINT },
      );
    }
    const digest = await sha256File(file);
    if (digest !== entry.sha256) {
      throw new MissingResourceError(
        `Model file ${file} has sha256 ${digest}; models/manifest.json expects ${entry.sha256} (${manifest.package.name}@${manifest.package.version})`,
        { hint: REINSTALL_HINT },
      );
    }
    out[role] = { ...entry, role, path: file };
  }
  return out;
}
