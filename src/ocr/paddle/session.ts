/**
 * The only place that imports onnxruntime-node. Model code sees `ModelSession.run(Float32Array, dims)` and nothing
 * of the runtime, so a different runtime (or a fake in tests) fits behind the same class.
 * The native module is loaded lazily: runs that never use the paddle engine never load it.
 */
import type * as Ort from 'onnxruntime-node';
import type { OnnxDevice } from '../../core/choices.js';
import { MissingResourceError, errorMessage } from '../../core/errors.js';

/** Devices a session can run on (the ONNX Runtime execution provider of the same name). */
export type SessionDevice = OnnxDevice;

export interface SessionOptions {
  device: SessionDevice;
  /** Intra-op threads (≥ 1). */
  threads: number;
}

/** An output tensor as plain data. */
export interface TensorData {
  data: Float32Array;
  dims: readonly number[];
}

let ortModule: typeof Ort | null = null;

/**
 * Loads onnxruntime-node once.
 * @throws MissingResourceError when the native module cannot load (missing or broken install).
 */
export async function loadOrt(): Promise<typeof Ort> {
  if (ortModule) return ortModule;
  try {
    const mod = (await import('onnxruntime-node')) as typeof Ort & { default?: typeof Ort };
    ortModule = mod.default && 'InferenceSession' in mod.default ? mod.default : mod;
    return ortModule;
  } catch (err) {
    throw new MissingResourceError(`onnxruntime-node could not be loaded: ${errorMessage(err)}`, {
      hint: 'Reinstall dependencies with `npm install` (onnxruntime-node ships its CPU binaries in the npm package).',
      cause: err,
    });
  }
}

/** Version of the loaded onnxruntime-node (after `loadOrt`), else 'unknown'. */
export function ortVersion(): string {
  return (ortModule?.env as { versions?: { node?: string } } | undefined)?.versions?.node ?? 'unknown';
}

/** One inference session on one model; created once per process and reused (runs are serialised by ORT itself). */
export class ModelSession {
  private constructor(
    private session: Ort.InferenceSession | null,
    private readonly ort: typeof Ort,
    readonly name: string,
    readonly device: SessionDevice,
    private readonly inputName: string,
    private readonly outputName: string,
  ) {}

  /**
   * Creates the session. Provider errors propagate as they are: device probing (`ocr/device.ts`) decides before
   * this is called, in a child process, whether the provider works.
   */
  static async open(file: string, name: string, opts: SessionOptions): Promise<ModelSession> {
    const ort = await loadOrt();
    const session = await ort.InferenceSession.create(file, {
      executionProviders: [opts.device],
      intraOpNumThreads: Math.max(1, opts.threads),
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Input widths vary per crop: a memory pattern per shape would only grow the heap. The arena stays on (off
      // costs ~40% more CPU here); the reader's warm-up at the largest shapes sizes it once (reader.ts).
      enableMemPattern: false,
      logSeverityLevel: 3,
    });
    return new ModelSession(session, ort, name, opts.device, session.inputNames[0], session.outputNames[0]);
  }

  /** Runs the model on one float32 input tensor; returns its first output. */
  async run(input: Float32Array, dims: readonly number[]): Promise<TensorData> {
    if (!this.session) throw new Error(`Session ${this.name} was disposed`);
    const tensor = new this.ort.Tensor('float32', input, dims);
    const out = await this.session.run({ [this.inputName]: tensor });
    const result = out[this.outputName];
    const data = result.data as Float32Array;
    const dimsOut = [...result.dims];
    tensor.dispose?.();
    return { data, dims: dimsOut };
  }

  async dispose(): Promise<void> {
    const s = this.session;
    this.session = null;
    await s?.release();
  }
}
