/**
 * Activation ranges from real inputs: the prepared float model, with the tensors to quantize added as graph
 * outputs, runs on onnxruntime-node over the calibration inputs. `minmax` keeps the extremes; `percentile` cuts the
 * rare outliers (a 2,048-bin histogram per tensor over the min/max of a first pass, then the given percentile on
 * each side), which gives the bulk of the values more of the 256 codes.
 */
import { loadOrt } from '../ocr/paddle/session.js';
import { type ModelProto, encodeModel, onnx } from './onnx.js';
import { type Ranges, storedRange } from './qdq.js';

export interface CalibrationInput {
  data: Float32Array;
  dims: number[];
}

export type CalibrationMethod = 'minmax' | 'percentile';

export interface CalibrateOptions {
  method: CalibrationMethod;
  /** For `percentile`: the share of values kept inside the range, e.g. 99.99. */
  percentile: number;
  /** Intra-op threads of the calibration session (results do not depend on it beyond float noise). */
  threads: number;
  /** Called after each input of each pass. */
  onProgress?: (pass: number, done: number, total: number) => void;
}

const BINS = 2048;

/** The model with `tensors` added as outputs (encoded). */
export function withOutputs(model: ModelProto, tensors: readonly string[]): Uint8Array {
  const copy = onnx.ModelProto.decode(encodeModel(model));
  const graph = copy.graph!;
  const existing = new Set(graph.output!.map((o) => o.name));
  for (const name of tensors) {
    if (!existing.has(name)) graph.output!.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }));
  }
  return encodeModel(copy);
}

/** Value at which `share` (0…1) of a histogram's mass lies below (linear inside the bin). */
export function histogramQuantile(hist: Float64Array, lo: number, hi: number, share: number): number {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return lo;
  const target = share * total;
  const width = (hi - lo) / hist.length;
  let acc = 0;
  for (let i = 0; i < hist.length; i++) {
    if (acc + hist[i] >= target) return lo + width * (i + (hist[i] ? (target - acc) / hist[i] : 0));
    acc += hist[i];
  }
  return hi;
}

/** Measures the ranges of `tensors` over `inputs`. @returns stored (outward-rounded) ranges */
export async function calibrate(model: ModelProto, tensors: readonly string[], inputs: readonly CalibrationInput[], opts: CalibrateOptions): Promise<Ranges> {
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(withOutputs(model, tensors), {
    executionProviders: ['cpu'],
    intraOpNumThreads: opts.threads,
    graphOptimizationLevel: 'basic',
    logSeverityLevel: 3,
  });
  const inputName = session.inputNames[0];
  const run = async (x: CalibrationInput) => session.run({ [inputName]: new ort.Tensor('float32', x.data, x.dims) });
  const min = new Map<string, number>(tensors.map((t) => [t, Infinity]));
  const max = new Map<string, number>(tensors.map((t) => [t, -Infinity]));
  try {
    for (let k = 0; k < inputs.length; k++) {
      const out = await run(inputs[k]);
      for (const t of tensors) {
        const d = out[t].data as Float32Array;
        let lo = min.get(t)!, hi = max.get(t)!;
        for (let i = 0; i < d.length; i++) {
          const v = d[i];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        min.set(t, lo);
        max.set(t, hi);
      }
      opts.onProgress?.(1, k + 1, inputs.length);
    }
    if (opts.method === 'minmax') return Object.fromEntries(tensors.map((t) => [t, storedRange(min.get(t)!, max.get(t)!)]));

    const hists = new Map(tensors.map((t) => [t, new Float64Array(BINS)]));
    for (let k = 0; k < inputs.length; k++) {
      const out = await run(inputs[k]);
      for (const t of tensors) {
        const d = out[t].data as Float32Array;
        const lo = min.get(t)!, hi = max.get(t)!;
        const h = hists.get(t)!;
        const k2 = hi > lo ? BINS / (hi - lo) : 0;
        for (let i = 0; i < d.length; i++) h[Math.min(BINS - 1, Math.floor((d[i] - lo) * k2))]++;
      }
      opts.onProgress?.(2, k + 1, inputs.length);
    }
    const tail = (100 - opts.percentile) / 100;
    return Object.fromEntries(
      tensors.map((t) => {
        const lo = min.get(t)!, hi = max.get(t)!;
        const h = hists.get(t)!;
        // A tensor that never goes below 0 (after Relu, Sigmoid) keeps its exact floor.
        const low = lo >= 0 ? lo : histogramQuantile(h, lo, hi, tail);
        return [t, storedRange(low, histogramQuantile(h, lo, hi, 1 - tail))];
      }),
    );
  } finally {
    await session.release();
  }
}
