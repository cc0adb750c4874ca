/**
 * ONNX protobuf access for the build-time quantizer (`onnx-proto`, the ONNX 1.10 schema compiled for protobufjs):
 * decode/encode a model, read a float tensor, build tensors, nodes and attributes. Never imported at run time.
 */
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;

export const DataType = onnx.TensorProto.DataType;
const AttrType = onnx.AttributeProto.AttributeType;

/** Domain of ONNX Runtime's contrib operators (QuantizeLinear/DequantizeLinear with `axis` below opset 13). */
export const MS_DOMAIN = 'com.microsoft';

export function decodeModel(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}

export function encodeModel(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** A tensor's dimensions as plain numbers (protobufjs gives int64 as Long). */
export function dimsOf(t: TensorProto): number[] {
  return (t.dims ?? []).map((d) => Number(d));
}

export function numel(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** The values of a FLOAT tensor (raw little-endian bytes or float_data). @throws Error for other types */
export function floatsOf(t: TensorProto): Float32Array {
  if (t.dataType !== DataType.FLOAT) throw new Error(`Tensor ${t.name} is of type ${t.dataType}, expected FLOAT`);
  const raw = t.rawData;
  if (raw && raw.length) {
    const copy = new Uint8Array(raw.length);
    copy.set(raw);
    return new Float32Array(copy.buffer);
  }
  return Float32Array.from(t.floatData ?? []);
}

type Typed = Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;
const TYPE_OF = new Map<Function, number>([
  [Float32Array, DataType.FLOAT],
  [Int8Array, DataType.INT8],
  [Uint8Array, DataType.UINT8],
  [Int32Array, DataType.INT32],
  [BigInt64Array, DataType.INT64],
]);

/** A tensor with its values as raw bytes (the typed array's element type gives the ONNX type). */
export function tensor(name: string, dims: readonly number[], values: Typed): TensorProto {
  const dataType = TYPE_OF.get(values.constructor);
  if (dataType === undefined) throw new Error(`Unsupported tensor element type for ${name}`);
  if (numel(dims) !== values.length) throw new Error(`Tensor ${name}: ${values.length} values do not fill dims [${dims.join(', ')}]`);
  const rawData = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  return onnx.TensorProto.create({ name, dims: [...dims], dataType, rawData });
}

/** A node; attributes given as plain values (integers, floats, integer lists). */
export function makeNode(
  opType: string,
  input: string[],
  output: string[],
  name: string,
  attrs: Record<string, number | number[] | { float: number }> = {},
  domain = '',
): NodeProto {
  const attribute: AttributeProto[] = Object.entries(attrs).map(([k, v]) => {
    if (Array.isArray(v)) return { name: k, type: AttrType.INTS, ints: v };
    if (typeof v === 'object') return { name: k, type: AttrType.FLOAT, f: v.float };
    return { name: k, type: AttrType.INT, i: v };
  });
  return onnx.NodeProto.create({ opType, input, output, name, attribute, domain });
}

export function attrInt(node: NodeProto, name: string, fallback: number): number {
  const a = node.attribute?.find((x) => x.name === name);
  return a?.i === undefined || a.i === null ? fallback : Number(a.i);
}

export function attrFloat(node: NodeProto, name: string, fallback: number): number {
  const a = node.attribute?.find((x) => x.name === name);
  return typeof a?.f === 'number' ? a.f : fallback;
}

export function attrInts(node: NodeProto, name: string): number[] | undefined {
  const a = node.attribute?.find((x) => x.name === name);
  return a?.ints?.length ? a.ints.map((v) => Number(v)) : undefined;
}
