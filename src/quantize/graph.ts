/**
 * Float graph clean-up before quantization, exact up to float rounding: weights held in Constant nodes become
 * initializers, and the per-channel affine ops around a Conv (BatchNormalization, PP-LCNet's learnable scale/bias
 * Mul/Add after it, and a scalar Mul/Add in front of an unpadded Conv) are folded into its weights and bias.
 * Folding matters for int8: a QLinearConv then quantizes the tensor the next layer really sees, and the float
 * passes between layers get fewer.
 */
import { type GraphProto, type ModelProto, type NodeProto, type TensorProto, attrFloat, attrInts, dimsOf, floatsOf, makeNode, numel, tensor } from './onnx.js';

/** Lookup tables over a graph; rebuilt after every structural change (graphs here have < 1,000 nodes). */
export class GraphIndex {
  readonly inits = new Map<string, TensorProto>();
  readonly producers = new Map<string, NodeProto>();
  readonly consumers = new Map<string, NodeProto[]>();
  readonly outputs: Set<string>;

  constructor(readonly graph: GraphProto) {
    for (const t of graph.initializer ?? []) this.inits.set(t.name ?? '', t);
    for (const n of graph.node ?? []) {
      for (const o of n.output ?? []) this.producers.set(o, n);
      for (const i of n.input ?? []) {
        if (!i) continue;
        const list = this.consumers.get(i) ?? [];
        if (!list.includes(n)) list.push(n);
        this.consumers.set(i, list);
      }
    }
    this.outputs = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  }

  /** Float values of an initializer, or undefined when `name` is not a float initializer. */
  floats(name: string): Float32Array | undefined {
    const t = this.inits.get(name);
    return t && t.dataType === 1 ? floatsOf(t) : undefined;
  }

  dims(name: string): number[] | undefined {
    const t = this.inits.get(name);
    return t ? dimsOf(t) : undefined;
  }

  /** The single consumer of a tensor that is not a graph output, else undefined. */
  soleConsumer(name: string): NodeProto | undefined {
    const c = this.consumers.get(name) ?? [];
    return c.length === 1 && !this.outputs.has(name) ? c[0] : undefined;
  }
}

/** Gives every node a unique, deterministic name (`<OpType>_<index>` where it has none). */
export function nameNodes(graph: GraphProto): void {
  const seen = new Set<string>();
  (graph.node ?? []).forEach((n, i) => {
    let name = n.name || `${n.opType}_${i}`;
    while (seen.has(name)) name = `${name}_${i}`;
    n.name = name;
    seen.add(name);
  });
}

/** Constant nodes holding a tensor become initializers of the same name. */
export function constantsToInitializers(graph: GraphProto): number {
  const keep: NodeProto[] = [];
  const inits = graph.initializer ?? [];
  let moved = 0;
  for (const n of graph.node ?? []) {
    const value = n.opType === 'Constant' && n.attribute?.length === 1 && n.attribute[0].name === 'value' ? n.attribute[0].t : undefined;
    if (value && n.output?.length === 1) {
      inits.push({ ...value, name: n.output[0] });
      moved++;
    } else keep.push(n);
  }
  graph.initializer = inits;
  graph.node = keep;
  return moved;
}

/** Per-output-channel factors of a Mul/Add constant against a Conv output [N, M, H, W]; undefined if not of that shape. */
function perChannel(values: Float32Array, dims: number[], m: number): Float32Array | undefined {
  if (values.length === 1) return new Float32Array(m).fill(values[0]);
  const padded = [...new Array(Math.max(0, 4 - dims.length)).fill(1), ...dims];
  if (padded.length !== 4 || padded[0] !== 1 || padded[1] !== m || padded[2] !== 1 || padded[3] !== 1) return undefined;
  return values;
}

interface ConvWeights {
  w: Float32Array;
  wDims: number[];
  b: Float32Array;
}

function convWeights(ix: GraphIndex, conv: NodeProto): ConvWeights | undefined {
  const w = ix.floats(conv.input![1]);
  const wDims = ix.dims(conv.input![1]);
  if (!w || !wDims || wDims.length !== 4) return undefined;
  const m = wDims[0];
  const bName = conv.input![2];
  const b = bName ? ix.floats(bName) : new Float32Array(m);
  if (!b || b.length !== m) return undefined;
  return { w, wDims, b };
}

function setConvWeights(graph: GraphProto, conv: NodeProto, cw: ConvWeights): void {
  const wName = `${conv.name}.folded_W`;
  const bName = `${conv.name}.folded_B`;
  const inits = (graph.initializer ?? []).filter((t) => t.name !== wName && t.name !== bName);
  inits.push(tensor(wName, cw.wDims, cw.w), tensor(bName, [cw.wDims[0]], cw.b));
  graph.initializer = inits;
  conv.input = [conv.input![0], wName, bName];
}

/** Other input of a binary node that is a float initializer, with the index of the data input. */
function constOperand(ix: GraphIndex, n: NodeProto, data: string): { values: Float32Array; dims: number[] } | undefined {
  if (n.input?.length !== 2) return undefined;
  const other = n.input[0] === data ? n.input[1] : n.input[1] === data ? n.input[0] : undefined;
  if (other === undefined || other === data) return undefined;
  const values = ix.floats(other);
  const dims = ix.dims(other);
  return values && dims ? { values, dims } : undefined;
}

/** Folds the affine op that follows a Conv into it; true when it did. */
function foldAfter(graph: GraphProto, ix: GraphIndex, conv: NodeProto): boolean {
  const out = conv.output![0];
  const next = ix.soleConsumer(out);
  const cw = next && convWeights(ix, conv);
  if (!next || !cw) return false;
  const m = cw.wDims[0];
  const per = numel(cw.wDims.slice(1));
  let scale: Float32Array | undefined;
  let shift: Float32Array | undefined;
  if (next.opType === 'BatchNormalization' && next.input?.[0] === out && (next.output?.length ?? 0) === 1) {
    const [g, beta, mean, v] = next.input.slice(1, 5).map((n) => ix.floats(n));
    if (!g || !beta || !mean || !v || g.length !== m) return false;
    const eps = attrFloat(next, 'epsilon', 1e-5);
    scale = Float32Array.from(g, (gc, c) => gc / Math.sqrt(v[c] + eps));
    shift = Float32Array.from(beta, (bc, c) => bc - mean[c] * scale![c]);
  } else if (next.opType === 'Mul' || next.opType === 'Add') {
    const k = constOperand(ix, next, out);
    const f = k && perChannel(k.values, k.dims, m);
    if (!f) return false;
    if (next.opType === 'Mul') scale = f;
    else shift = f;
  } else return false;
  for (let c = 0; c < m; c++) {
    const s = scale ? scale[c] : 1;
    for (let j = 0; j < per; j++) cw.w[c * per + j] *= s;
    cw.b[c] = cw.b[c] * s + (shift ? shift[c] : 0);
  }
  setConvWeights(graph, conv, cw);
  conv.output = [next.output![0]];
  graph.node = (graph.node ?? []).filter((n) => n !== next);
  return true;
}

function unpadded(conv: NodeProto): boolean {
  const pads = attrInts(conv, 'pads');
  const autoPad = conv.attribute?.find((a) => a.name === 'auto_pad')?.s;
  const auto = autoPad ? new TextDecoder().decode(autoPad) : 'NOTSET';
  return (!pads || pads.every((p) => p === 0)) && (auto === 'NOTSET' || auto === 'VALID');
}

/**
 * Folds a scalar `Mul` or `Add` whose only consumers are unpadded Convs into those Convs:
 * Conv(a·x) = (a·W)x, Conv(x + d) = Wx + d·ΣW (exact without padding).
 */
function foldBefore(graph: GraphProto, ix: GraphIndex, op: NodeProto): boolean {
  if ((op.opType !== 'Mul' && op.opType !== 'Add') || op.input?.length !== 2) return false;
  const out = op.output![0];
  const convs = ix.consumers.get(out) ?? [];
  if (!convs.length || ix.outputs.has(out)) return false;
  const data = op.input.find((i) => !ix.inits.has(i));
  const k = data && constOperand(ix, op, data);
  if (!data || !k || k.values.length !== 1) return false;
  const all = convs.map((c) => (c.opType === 'Conv' && c.input?.[0] === out && unpadded(c) ? convWeights(ix, c) : undefined));
  if (all.some((w) => !w)) return false;
  const a = k.values[0];
  convs.forEach((conv, i) => {
    const cw = all[i]!;
    const per = numel(cw.wDims.slice(1));
    for (let c = 0; c < cw.wDims[0]; c++) {
      let sum = 0;
      for (let j = 0; j < per; j++) {
        if (op.opType === 'Mul') cw.w[c * per + j] *= a;
        else sum += cw.w[c * per + j];
      }
      if (op.opType === 'Add') cw.b[c] += a * sum;
    }
    setConvWeights(graph, conv, cw);
    conv.input = [data, ...conv.input!.slice(1)];
  });
  graph.node = (graph.node ?? []).filter((n) => n !== op);
  return true;
}

/** Drops initializers nothing reads any more. */
export function pruneInitializers(graph: GraphProto): void {
  const used = new Set<string>();
  for (const n of graph.node ?? []) for (const i of n.input ?? []) used.add(i);
  for (const o of graph.output ?? []) used.add(o.name ?? '');
  graph.initializer = (graph.initializer ?? []).filter((t) => used.has(t.name ?? ''));
}

/** Folds every affine op it can into the neighbouring Convs; returns how many were folded. */
export function foldConvAffine(graph: GraphProto): number {
  let folded = 0;
  for (let changed = true; changed; ) {
    changed = false;
    const ix = new GraphIndex(graph);
    for (const n of graph.node ?? []) {
      if ((n.opType === 'Conv' && foldAfter(graph, ix, n)) || foldBefore(graph, ix, n)) {
        folded++;
        changed = true;
        break;
      }
    }
  }
  pruneInitializers(graph);
  return folded;
}

function scalarConst(ix: GraphIndex, name: string | undefined): number | undefined {
  const v = name ? ix.floats(name) : undefined;
  return v && v.length === 1 ? v[0] : undefined;
}

function clipBounds(ix: GraphIndex, clip: NodeProto): [number, number] | undefined {
  if (clip.input!.length >= 3) {
    const lo = scalarConst(ix, clip.input![1]);
    const hi = scalarConst(ix, clip.input![2]);
    return lo === undefined || hi === undefined ? undefined : [lo, hi];
  }
  return [attrFloat(clip, 'min', -Infinity), attrFloat(clip, 'max', Infinity)];
}

/**
 * Paddle2ONNX writes hard-swish as x · clip(x + 3, 0, 6) / 6: four float passes over the tensor. The same function
 * is x · HardSigmoid(x; α = 1/6, β = 0.5), two passes.
 */
export function fuseHardSwish(graph: GraphProto): number {
  const ix = new GraphIndex(graph);
  const drop = new Set<NodeProto>();
  const replace = new Map<NodeProto, NodeProto[]>();
  for (const div of graph.node ?? []) {
    if (div.opType !== 'Div' || scalarConst(ix, div.input?.[1]) !== 6) continue;
    const mul = ix.producers.get(div.input![0]);
    if (mul?.opType !== 'Mul' || ix.soleConsumer(mul.output![0]) !== div) continue;
    const clipAt = mul.input!.findIndex((i) => ix.producers.get(i)?.opType === 'Clip');
    const clip = clipAt >= 0 ? ix.producers.get(mul.input![clipAt])! : undefined;
    const x = mul.input![1 - clipAt];
    const add = clip && ix.producers.get(clip.input![0]);
    if (!clip || !add || add.opType !== 'Add' || ix.soleConsumer(clip.output![0]) !== mul || ix.soleConsumer(add.output![0]) !== clip) continue;
    const three = add.input![0] === x ? scalarConst(ix, add.input![1]) : add.input![1] === x ? scalarConst(ix, add.input![0]) : undefined;
    const bounds = clipBounds(ix, clip);
    if (three !== 3 || !bounds || bounds[0] !== 0 || bounds[1] !== 6) continue;
    const gate = `${div.output![0]}.hardsigmoid`;
    const hs = makeNode('HardSigmoid', [x], [gate], `${div.name}.HardSigmoid`, { alpha: { float: 1 / 6 }, beta: { float: 0.5 } });
    const product = makeNode('Mul', [x, gate], [div.output![0]], `${div.name}.Mul`);
    for (const n of [add, clip, mul]) drop.add(n);
    replace.set(div, [hs, product]);
  }
  graph.node = (graph.node ?? []).flatMap((n) => (drop.has(n) ? [] : replace.get(n) ?? [n]));
  pruneInitializers(graph);
  return replace.size;
}

/**
 * Raises the default-domain opset to 10 where it is lower: ONNX Runtime's fused QLinearConv/MatMulInteger need it.
 * Of the ops in these graphs only Slice changed between 9 and 10 (starts/ends/axes moved from attributes to
 * inputs); it is rewritten, nothing else is touched. @throws Error for an op whose meaning changed and is not handled
 */
export function raiseOpsetTo10(model: ModelProto): boolean {
  const main = (model.opsetImport ?? []).find((o) => !o.domain);
  if (!main || Number(main.version) >= 10) return false;
  const graph = model.graph!;
  const inits = graph.initializer ?? [];
  for (const n of graph.node ?? []) {
    if (['Dropout', 'Upsample', 'TopK'].includes(n.opType ?? '')) throw new Error(`Cannot raise opset 9 → 10 over ${n.opType} node ${n.name}`);
    if (n.opType !== 'Slice' || (n.input?.length ?? 0) > 1) continue;
    const parts: string[] = [];
    for (const key of ['starts', 'ends', 'axes']) {
      const v = attrInts(n, key);
      if (!v) continue;
      const name = `${n.name}.${key}`;
      inits.push(tensor(name, [v.length], BigInt64Array.from(v, (x) => BigInt(x))));
      parts.push(name);
    }
    n.input = [n.input![0], ...parts];
    n.attribute = [];
  }
  graph.initializer = inits;
  main.version = 10;
  return true;
}

/** All float clean-ups, in order. */
export function prepareFloatModel(model: ModelProto): { constants: number; folded: number; hardSwish: number; opset10: boolean } {
  const graph = model.graph!;
  nameNodes(graph);
  const constants = constantsToInitializers(graph);
  const folded = foldConvAffine(graph);
  const hardSwish = fuseHardSwish(graph);
  const opset10 = raiseOpsetTo10(model);
  return { constants, folded, hardSwish, opset10 };
}
