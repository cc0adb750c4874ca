/**
 * The quantizer's arithmetic, pure and deterministic (every result is rounded to float32 the same way on every
 * machine): activation scale/zero point (uint8, asymmetric), symmetric per-channel int8 weights, int32 bias, and
 * the outward rounding of calibrated ranges that keeps a regenerated model bit-identical when another CPU's float
 * kernels move a range by a few ulps.
 */

const f32 = Math.fround;

/** Integer range of a quantized type. */
export interface QRange {
  min: number;
  max: number;
}

export const UINT8: QRange = { min: 0, max: 255 };
/** Symmetric int8 (-127…127: the -128 code is left out so the grid is symmetric around 0). */
export const INT8_SYMMETRIC: QRange = { min: -127, max: 127 };
/**
 * 7-bit weights (-63…63): on x86 CPUs without VNNI, ONNX Runtime's u8×s8 kernels add pairs of products in int16
 * (vpmaddubsw), which saturates for 255 × 127 × 2; 7-bit weights cannot overflow there.
 */
export const INT7_SYMMETRIC: QRange = { min: -63, max: 63 };

/** Round half to even (numpy's rule), so .5 cases never depend on sign. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * `x` rounded away from zero onto a grid of `bits` significant binary digits (a 6-bit grid inflates a range by
 * at most 1/32). Calibrated ranges are stored this way: a float change of a few ulps on another CPU almost never
 * crosses a grid line, so the generated model stays byte-identical.
 */
export function roundOutward(x: number, bits = 6): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const e = Math.floor(Math.log2(Math.abs(x)));
  const step = 2 ** (e - bits + 1);
  const q = Math.ceil(Math.abs(x) / step - 1e-9) * step;
  return Math.sign(x) * q;
}

export interface ActivationQuant {
  /** float32 */
  scale: number;
  zeroPoint: number;
}

/**
 * Asymmetric uint8 parameters for values in [min, max] (the range is widened to hold 0, so zero padding is exact).
 * An empty range (all zeros) gets scale 1.
 */
export function activationParams(min: number, max: number, q: QRange = UINT8): ActivationQuant {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  if (hi - lo <= 0) return { scale: 1, zeroPoint: clamp(0, q.min, q.max) };
  const scale = f32((hi - lo) / (q.max - q.min));
  const zeroPoint = clamp(roundHalfEven(q.min - lo / scale), q.min, q.max);
  return { scale, zeroPoint };
}

/** Quantize one value with given parameters. */
export function quantizeValue(x: number, p: ActivationQuant, q: QRange = UINT8): number {
  return clamp(roundHalfEven(x / p.scale) + p.zeroPoint, q.min, q.max);
}

export interface ChannelQuant {
  values: Int8Array;
  /** One float32 scale per channel. */
  scales: Float32Array;
}

/**
 * Symmetric per-channel quantization of a weight tensor.
 * @param channelAxis 0 for Conv weights [M, C/g, kh, kw] (one scale per output channel); the last axis for MatMul
 *   weights [K, N] (one scale per output column)
 */
export function quantizePerChannel(w: Float32Array, dims: readonly number[], channelAxis: number, q: QRange = INT8_SYMMETRIC): ChannelQuant {
  const channels = dims[channelAxis];
  const inner = dims.slice(channelAxis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number) => Math.floor(i / inner) % channels;
  const absMax = new Float32Array(channels);
  for (let i = 0; i < w.length; i++) {
    const c = channelOf(i);
    const a = Math.abs(w[i]);
    if (a > absMax[c]) absMax[c] = a;
  }
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) scales[c] = absMax[c] > 0 ? f32(absMax[c] / q.max) : 1;
  const values = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) values[i] = clamp(roundHalfEven(w[i] / scales[channelOf(i)]), q.min, q.max);
  return { values, scales };
}

/** Dequantized weights (for checks): value × its channel's scale. */
export function dequantizePerChannel(cq: ChannelQuant, dims: readonly number[], channelAxis: number): Float32Array {
  const inner = dims.slice(channelAxis + 1).reduce((a, b) => a * b, 1);
  const channels = dims[channelAxis];
  return Float32Array.from(cq.values, (v, i) => v * cq.scales[Math.floor(i / inner) % channels]);
}

/** Bias in int32 at scale inputScale × weightScale[c] (what QLinearConv adds to its int32 accumulator). */
export function quantizeBias(bias: Float32Array, inputScale: number, weightScales: Float32Array): { values: Int32Array; scales: Float32Array } {
  const scales = Float32Array.from(weightScales, (ws) => f32(f32(inputScale) * ws));
  const values = Int32Array.from(bias, (b, c) => clamp(roundHalfEven(b / scales[c]), -(2 ** 31), 2 ** 31 - 1));
  return { values, scales };
}
