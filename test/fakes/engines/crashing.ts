import type { EngineInfo, EngineInit, OcrEngine, OcrResult, PageImage, RecognizeOptions } from '../../../src/core/types.js';

export interface CrashingEngineOptions {
  /** Which calls crash (0-based call index); default: every call. */
  crashWhen?: (page: PageImage, call: number) => boolean;
  /** Throw from `init` instead (a broken install). */
  crashOnInit?: boolean;
  message?: string;
}

/**
 * An engine whose `recognize` throws a foreign (non-zakocr) error, like a WASM abort or a native crash
 * surfacing as an exception. Calls that do not crash return one line naming the page size.
 * Fault injection through the real `OcrEngine` interface (cf. OCRmyPDF's tesseract_crash plug-in).
 */
export class CrashingEngine implements OcrEngine {
  readonly name = 'fake-crashing';
  calls = 0;
  disposed = false;

  constructor(private readonly opts: CrashingEngineOptions = {}) {}

  async init(opts: EngineInit): Promise<EngineInfo> {
    if (this.opts.crashOnInit) throw new Error('simulated: engine failed to start');
    return { name: this.name, device: 'cpu', models: ['fake'], version: '0.0.0', languages: opts.langs };
  }

  async recognize(page: PageImage, _opts: RecognizeOptions): Promise<OcrResult> {
    const call = this.calls++;
    if (this.opts.crashWhen ? this.opts.crashWhen(page, call) : true) {
      throw new RangeError(this.opts.message ?? 'simulated: RuntimeError: memory access out of bounds');
    }
    return { lines: [{ text: `page ${page.width}x${page.height}`, confidence: 0.99, engine: this.name, box: [0, 0, page.width, page.height] }] };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
