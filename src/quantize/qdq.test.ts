/**
 * The graph rewrite end to end on a tiny synthetic model (opset 9, PP-OCR's patterns: Conv → BatchNorm → scalar
 * Mul/Add → hard-swish → scalar Mul/Add → 1×1 Conv → Slice → pooling → MatMul → Softmax), run by onnxruntime-node.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrt } from '../ocr/paddle/session.js';
import { calibrate } from './calibrate.js';
import { prepareFloatModel } from './graph.js';
import { type ModelProto, decodeModel, encodeModel, makeNode, onnx, tensor } from './onnx.js';
import { DEFAULT_QDQ, quantizeModel, tensorsToCalibrate } from './qdq.js';

/** Deterministic pseudo-random numbers in [-1, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

function tinyModel(): ModelProto {
  const r = rng(7);
  const f = (n: number, k = 1) => Float32Array.from({ length: n }, () => r() * k);
  const consts: [string, number[], Float32Array | BigInt64Array][] = [
    ['w1', [4, 3, 3, 3], f(108, 0.5)], ['b1', [4], f(4, 0.1)],
    ['bn_s', [4], Float32Array.from([1.2, 0.8, 1, 1.5])], ['bn_b', [4], f(4, 0.2)], ['bn_m', [4], f(4, 0.1)], ['bn_v', [4], Float32Array.from([1, 0.5, 2, 0.7])],
    ['lab_a', [1], Float32Array.of(0.9)], ['lab_b', [1], Float32Array.of(0.05)],
    ['three', [], Float32Array.of(3)], ['six', [], Float32Array.of(6)],
    ['lab2_a', [1], Float32Array.of(1.1)], ['lab2_b', [1], Float32Array.of(-0.02)],
    ['w2', [5, 4, 1, 1], f(20, 0.6)], ['b2', [5], f(5, 0.1)],
    ['wm', [4, 6], f(24, 0.8)],
  ];
  const nodes = [
    ...consts.map(([name]) => makeNode('Constant', [], [name], '', {})),
    makeNode('Conv', ['x', 'w1', 'b1'], ['c1'], '', { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
    makeNode('BatchNormalization', ['c1', 'bn_s', 'bn_b', 'bn_m', 'bn_v'], ['bn'], '', { epsilon: { float: 1e-5 } }),
    makeNode('Mul', ['lab_a', 'bn'], ['m1'], ''),
    makeNode('Add', ['m1', 'lab_b'], ['a1'], ''),
    makeNode('Add', ['a1', 'three'], ['hs_in'], ''),
    makeNode('Clip', ['hs_in'], ['hs_clip'], '', { min: { float: 0 }, max: { float: 6 } }),
    makeNode('Mul', ['a1', 'hs_clip'], ['hs_mul'], ''),
    makeNode('Div', ['hs_mul', 'six'], ['hs'], ''),
    makeNode('Mul', ['lab2_a', 'hs'], ['m2'], ''),
    makeNode('Add', ['m2', 'lab2_b'], ['a2'], ''),
    makeNode('Conv', ['a2', 'w2', 'b2'], ['c2'], '', { kernel_shape: [1, 1] }),
    makeNode('Relu', ['c2'], ['r2'], ''),
    makeNode('Slice', ['r2'], ['s2'], '', { axes: [1], starts: [0], ends: [4] }),
    makeNode('GlobalAveragePool', ['s2'], ['g'], ''),
    makeNode('Flatten', ['g'], ['fl'], '', { axis: 1 }),
    makeNode('MatMul', ['fl', 'wm'], ['logits'], ''),
    makeNode('Softmax', ['logits'], ['y'], '', { axis: 1 }),
  ];
  consts.forEach(([name, dims, values], i) => {
    nodes[i].attribute = [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: tensor(name, dims, values) }];
  });
  const vi = (name: string, dims: (number | string)[]) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } });
  return onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 9 }],
    graph: { name: 'tiny', node: nodes, input: [vi('x', ['N', 3, 8, 8])], output: [vi('y', ['N', 6])] },
  });
}

const inputs = (n: number, seed: number) => {
  const r = rng(seed);
  return Array.from({ length: n }, () => ({ data: Float32Array.from({ length: 2 * 3 * 64 }, () => r() * 2), dims: [2, 3, 8, 8] }));
};

async function runAll(bytes: Uint8Array, xs: { data: Float32Array; dims: number[] }[], extra: Record<string, unknown> = {}): Promise<Float32Array[]> {
  const ort = await loadOrt();
  const s = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, logSeverityLevel: 3, ...extra });
  const out: Float32Array[] = [];
  for (const x of xs) out.push((await s.run({ x: new ort.Tensor('float32', x.data, x.dims) })).y.data as Float32Array);
  await s.release();
  return out;
}

const maxDiff = (a: Float32Array[], b: Float32Array[]) => Math.max(...a.map((v, i) => Math.max(...v.map((x, j) => Math.abs(x - b[i][j])))));

describe('quantizer graph rewrite (synthetic model on onnxruntime-node)', () => {
  const test = inputs(4, 99);

  it('folds BatchNorm and the scalar affine ops into the Convs, rewrites hard-swish and raises opset 9 → 10 without changing the output', async () => {
    const original = tinyModel();
    const before = await runAll(encodeModel(original), test);
    const model = decodeModel(encodeModel(original));
    const report = prepareFloatModel(model);
    expect(report).toEqual({ constants: 15, folded: 5, hardSwish: 1, opset10: true });
    const ops = model.graph!.node!.map((n) => n.opType);
    expect(ops).toEqual(['Conv', 'HardSigmoid', 'Mul', 'Conv', 'Relu', 'Slice', 'GlobalAveragePool', 'Flatten', 'MatMul', 'Softmax']);
    expect(maxDiff(await runAll(encodeModel(model), test), before)).toBeLessThan(1e-5);
  });

  it('inserts Q/DQ pairs that onnxruntime fuses into QLinearConv and MatMulIntegerToFloat; the output stays within int8 tolerance', async () => {
    const original = tinyModel();
    const before = await runAll(encodeModel(original), test);
    const model = decodeModel(encodeModel(original));
    prepareFloatModel(model);
    const tensors = tensorsToCalibrate(model.graph!, DEFAULT_QDQ);
    expect(tensors).toEqual(['a1', 'c2', 'fl', 'hs', 'x']);
    const ranges = await calibrate(model, tensors, inputs(24, 5), { method: 'minmax', percentile: 99.99, threads: 1 });
    const quantized = quantizeModel(model, ranges, DEFAULT_QDQ);
    expect(quantized).toHaveLength(3);
    const bytes = encodeModel(model);
    const optimized = path.join(mkdtempSync(path.join(os.tmpdir(), 'zk-qdq-')), 'opt.onnx');
    const after = await runAll(bytes, test, { graphOptimizationLevel: 'all', optimizedModelFilePath: optimized });
    expect(maxDiff(after, before)).toBeLessThan(0.03);
    const fused = decodeModel(readFileSync(optimized)).graph!.node!.map((n) => n.opType);
    expect(fused.filter((o) => o === 'QLinearConv')).toHaveLength(2);
    expect(fused).toContain('MatMulIntegerToFloat');
    expect(fused).not.toContain('Conv');
  });

  it('is deterministic: the same ranges give the same bytes', () => {
    const build = () => {
      const m = tinyModel();
      prepareFloatModel(m);
      const ranges = Object.fromEntries(tensorsToCalibrate(m.graph!, DEFAULT_QDQ).map((t, i) => [t, [-1 - i / 8, 2 + i / 4] as [number, number]]));
      quantizeModel(m, ranges, DEFAULT_QDQ);
      return Buffer.from(encodeModel(m));
    };
    expect(build().equals(build())).toBe(true);
  });
});
