/**
 * A recipe is everything one derived model file is made from, committed beside it (models/int8/NAME.recipe.json):
 * the source model's sha256, the quantizer settings, the calibration inputs and the calibrated ranges. Building
 * from a recipe is pure arithmetic in JavaScript (no ONNX Runtime, no dataset), so the same recipe and source give
 * the same bytes on every machine.
 */
import { createHash } from 'node:crypto';
import { INT7_SYMMETRIC, INT8_SYMMETRIC } from './math.js';
import { decodeModel, encodeModel } from './onnx.js';
import { prepareFloatModel } from './graph.js';
import { type QdqOptions, type QuantOp, type Ranges, quantizeModel } from './qdq.js';

export const RECIPE_SCHEMA = 'zakocr.quantize-recipe/v1';

export interface Recipe {
  schema: typeof RECIPE_SCHEMA;
  role: 'det' | 'cls' | 'rec';
  /** Model name recorded in results (engine.models). */
  name: string;
  /** File written, relative to models/. */
  file: string;
  source: { package: string; file: string; sha256: string };
  /** null: the float graph clean-up only (no quantization). */
  quantize: { ops: QuantOp[]; exclude: string[]; activationMatMul: boolean; weightBits: 7 | 8 } | null;
  calibration: {
    method: 'minmax' | 'percentile';
    percentile: number;
    /** What the inputs were drawn from (see calib-data.ts) and the exact list, in order. */
    plan: Record<string, unknown>;
    sources: string[];
  } | null;
  ranges: Ranges;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function qdqOptions(q: NonNullable<Recipe['quantize']>): QdqOptions {
  return { ops: q.ops, exclude: q.exclude, activationMatMul: q.activationMatMul, weightRange: q.weightBits === 7 ? INT7_SYMMETRIC : INT8_SYMMETRIC };
}

/**
 * Builds the derived model from its float source.
 * @throws Error when the source is not the file the recipe was made from
 */
export function buildFromRecipe(source: Uint8Array, recipe: Recipe): { bytes: Uint8Array; quantized: string[] } {
  const digest = sha256(source);
  if (digest !== recipe.source.sha256) {
    throw new Error(`Source ${recipe.source.file} has sha256 ${digest}; recipe ${recipe.name} was made from ${recipe.source.sha256}`);
  }
  const model = decodeModel(source);
  prepareFloatModel(model);
  const quantized = recipe.quantize ? quantizeModel(model, recipe.ranges, qdqOptions(recipe.quantize)) : [];
  model.producerName = 'zakocr-quantize';
  return { bytes: encodeModel(model), quantized };
}
