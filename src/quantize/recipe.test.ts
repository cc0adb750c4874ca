import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_PATH, packageAssetsDir, readManifest } from '../ocr/paddle/models.js';
import { verifyVariants } from './main.js';
import { type Recipe, buildFromRecipe, sha256 } from './recipe.js';

describe('derived model files (models/int8/)', () => {
  it('every file in models/manifest.json variants rebuilds bit-identically from its recipe and the npm float model', () => {
    const manifest = readManifest();
    expect(Object.keys(manifest.variants ?? {}).sort()).toEqual(['folded', 'int8']);
    expect(verifyVariants()).toEqual([]);
  });

  it('refuses a source model other than the one the recipe was made from', () => {
    const manifest = readManifest();
    const entry = manifest.variants!.int8!.cls!;
    const recipe = JSON.parse(readFileSync(path.join(path.dirname(MANIFEST_PATH), 'int8', entry.recipe), 'utf8')) as Recipe;
    const source = readFileSync(path.join(packageAssetsDir(manifest), manifest.models.det.file));
    expect(() => buildFromRecipe(source, recipe)).toThrow(
      new RegExp(`Source ch_ppocr_mobile_v2\\.0_cls_infer\\.onnx has sha256 ${sha256(source)}; recipe ch_ppocr_mobile_v2\\.0_cls_int8 was made from ${entry.source.sha256}`),
    );
  });
});
