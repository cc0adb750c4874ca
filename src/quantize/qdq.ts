/**
 * Static int8 quantization in QDQ form: QuantizeLinear → DequantizeLinear pairs around the Conv and MatMul nodes
 * of a prepared float graph, which ONNX Runtime's CPU provider fuses into QLinearConv and MatMulIntegerToFloat.
 * Activations are uint8 (asymmetric, from calibrated ranges), weights int8 (symmetric, per output channel), Conv
 * biases int32. Q/DQ are ONNX Runtime's com.microsoft ops: they take `axis` (per-channel) at any opset, so the
 * PP-OCR models keep their opset 9/11 and no other node changes.
 *
 * Conv outputs are quantized (QLinearConv writes uint8); MatMul outputs stay float (int8 inputs, float result:
 * the logits before the recogniser's softmax keep their precision).
 */
import { INT8_SYMMETRIC, type QRange, activationParams, quantizeBias, quantizePerChannel, roundOutward } from './math.js';
import { GraphIndex, pruneInitializers } from './graph.js';
import { type GraphProto, type ModelProto, type NodeProto, MS_DOMAIN, floatsOf, makeNode, tensor } from './onnx.js';

export type QuantOp = 'Conv' | 'MatMul';

export interface QdqOptions {
  /** Node types to quantize. */
  ops: QuantOp[];
  /** Node names kept in float (sensitive layers). */
  exclude: string[];
  /** Also quantize MatMuls whose two inputs are activations (attention scores and their product with V). */
  activationMatMul: boolean;
  /** Integer range of the weights: int8 (-127…127) or 7-bit (-63…63, for CPUs without VNNI). */
  weightRange: QRange;
}

export const DEFAULT_QDQ: QdqOptions = { ops: ['Conv', 'MatMul'], exclude: [], activationMatMul: false, weightRange: INT8_SYMMETRIC };

/** Calibrated [min, max] per tensor name. */
export type Ranges = Record<string, [number, number]>;

interface Target {
  node: NodeProto;
  /** Inputs quantized as activations (by input slot). */
  activations: number[];
  /** Input slot of the constant weight, or -1 (activation × activation MatMul). */
  weight: number;
  quantizeOutput: boolean;
}

/** The nodes to quantize and which of their inputs are activations. */
export function quantTargets(graph: GraphProto, opts: QdqOptions): Target[] {
  const ix = new GraphIndex(graph);
  const isWeight = (name: string | undefined) => !!name && ix.inits.has(name) && ix.inits.get(name)!.dataType === 1;
  const out: Target[] = [];
  for (const node of graph.node ?? []) {
    if (!opts.ops.includes(node.opType as QuantOp) || opts.exclude.includes(node.name ?? '')) continue;
    const ins = node.input ?? [];
    if (node.opType === 'Conv') {
      if (isWeight(ins[0]) || !isWeight(ins[1]) || (ins[2] && !isWeight(ins[2]))) continue;
      out.push({ node, activations: [0], weight: 1, quantizeOutput: true });
    } else if (node.opType === 'MatMul') {
      const w = [0, 1].filter((i) => isWeight(ins[i]));
      if (w.length === 1 && w[0] === 1 && ix.dims(ins[1])!.length === 2) out.push({ node, activations: [0], weight: 1, quantizeOutput: false });
      else if (w.length === 0 && opts.activationMatMul) out.push({ node, activations: [0, 1], weight: -1, quantizeOutput: false });
    }
  }
  return out;
}

/** Tensors whose ranges calibration must measure for these options. */
export function tensorsToCalibrate(graph: GraphProto, opts: QdqOptions): string[] {
  const names = new Set<string>();
  for (const t of quantTargets(graph, opts)) {
    for (const i of t.activations) names.add(t.node.input![i]);
    if (t.quantizeOutput) names.add(t.node.output![0]);
  }
  return [...names].sort();
}

/** A calibrated range as stored: outward-rounded so regeneration is bit-stable. */
export function storedRange(min: number, max: number): [number, number] {
  return [roundOutward(Math.min(0, min)), roundOutward(Math.max(0, max))];
}

/**
 * Rewrites a prepared float model in place into QDQ int8. Nodes without a calibrated range for every
 * activation they touch stay float. Returns the names of the quantized nodes.
 */
export function quantizeModel(model: ModelProto, ranges: Ranges, opts: QdqOptions = DEFAULT_QDQ): string[] {
  const graph = model.graph!;
  const targets = quantTargets(graph, opts).filter(
    (t) => t.activations.every((i) => ranges[t.node.input![i]]) && (!t.quantizeOutput || ranges[t.node.output![0]]),
  );
  const inits = graph.initializer ?? [];
  const after = new Map<string, NodeProto[]>(); // tensor name → nodes to insert after its producer
  const insertAfter = (tensorName: string, ...nodes: NodeProto[]) => after.set(tensorName, [...(after.get(tensorName) ?? []), ...nodes]);
  const qparams = new Map<string, { scaleName: string; zpName: string; scale: number }>();
  const params = (name: string) => {
    let p = qparams.get(name);
    if (!p) {
      const [lo, hi] = ranges[name];
      const { scale, zeroPoint } = activationParams(lo, hi);
      p = { scaleName: `${name}.scale`, zpName: `${name}.zero_point`, scale };
      inits.push(tensor(p.scaleName, [], Float32Array.of(scale)), tensor(p.zpName, [], Uint8Array.of(zeroPoint)));
      qparams.set(name, p);
    }
    return p;
  };
  const qdqPair = (source: string, dequantized: string, anchor: string) => {
    const p = params(anchor);
    insertAfter(
      source,
      makeNode('QuantizeLinear', [source, p.scaleName, p.zpName], [`${anchor}.quantized`], `${anchor}.QuantizeLinear`, {}, MS_DOMAIN),
      makeNode('DequantizeLinear', [`${anchor}.quantized`, p.scaleName, p.zpName], [dequantized], `${anchor}.DequantizeLinear`, {}, MS_DOMAIN),
    );
  };

  // Outputs first: a quantized Conv writes `<name>.float`, a Q/DQ pair restores `<name>` for every consumer.
  const fromDq = new Set<string>();
  for (const t of targets) {
    if (!t.quantizeOutput) continue;
    const name = t.node.output![0];
    t.node.output = [`${name}.float`];
    qdqPair(`${name}.float`, name, name);
    fromDq.add(name);
  }
  const inputDq = new Map<string, string>();
  const dqNodes: NodeProto[] = [];
  for (const t of targets) {
    const node = t.node;
    const ins = [...node.input!];
    for (const i of t.activations) {
      const name = ins[i];
      if (fromDq.has(name)) continue;
      if (!inputDq.has(name)) {
        inputDq.set(name, `${name}.dequantized`);
        qdqPair(name, `${name}.dequantized`, name);
      }
      ins[i] = inputDq.get(name)!;
    }
    if (t.weight >= 0) {
      const wName = ins[t.weight];
      const wInit = inits.find((x) => x.name === wName)!;
      const dims = (wInit.dims ?? []).map(Number);
      const axis = node.opType === 'Conv' ? 0 : 1;
      const w = quantizePerChannel(floatsOf(wInit), dims, axis, opts.weightRange);
      const base = `${node.name}.W`;
      inits.push(tensor(`${base}.int8`, dims, w.values), tensor(`${base}.scale`, [w.scales.length], w.scales), tensor(`${base}.zero_point`, [w.scales.length], new Int8Array(w.scales.length)));
      dqNodes.push(makeNode('DequantizeLinear', [`${base}.int8`, `${base}.scale`, `${base}.zero_point`], [`${base}.dequantized`], `${base}.DequantizeLinear`, { axis }, MS_DOMAIN));
      ins[t.weight] = `${base}.dequantized`;
      if (node.opType === 'Conv' && ins[2]) {
        const bInit = inits.find((x) => x.name === ins[2])!;
        const b = quantizeBias(floatsOf(bInit), params(node.input![0]).scale, w.scales);
        const bb = `${node.name}.B`;
        inits.push(tensor(`${bb}.int32`, [b.values.length], b.values), tensor(`${bb}.scale`, [b.scales.length], b.scales), tensor(`${bb}.zero_point`, [b.scales.length], new Int32Array(b.scales.length)));
        dqNodes.push(makeNode('DequantizeLinear', [`${bb}.int32`, `${bb}.scale`, `${bb}.zero_point`], [`${bb}.dequantized`], `${bb}.DequantizeLinear`, { axis: 0 }, MS_DOMAIN));
        ins[2] = `${bb}.dequantized`;
      }
    }
    node.input = ins;
  }

  // Rebuild the node list in topological order: weight DQs first, then each Q/DQ pair right after its producer.
  const graphInputs = (graph.input ?? []).map((i) => i.name ?? '');
  const nodes: NodeProto[] = [...dqNodes];
  for (const name of graphInputs) nodes.push(...(after.get(name) ?? []));
  const emit = (n: NodeProto) => {
    nodes.push(n);
    for (const o of n.output ?? []) for (const m of after.get(o) ?? []) emit(m);
  };
  for (const n of graph.node ?? []) emit(n);
  graph.node = nodes;
  graph.initializer = inits;
  pruneInitializers(graph);
  const opsets = model.opsetImport ?? [];
  if (!opsets.some((o) => o.domain === MS_DOMAIN)) opsets.push({ domain: MS_DOMAIN, version: 1 });
  model.opsetImport = opsets;
  return targets.map((t) => t.node.name ?? '');
}
