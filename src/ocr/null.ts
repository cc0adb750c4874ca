import type { EngineInfo, EngineInit, OcrEngine, OcrResult } from '../core/types.js';

/** No OCR at all (`--engine none`, `--barcodes-only`): barcodes and quality only. */
export class NullEngine implements OcrEngine {
  readonly name = 'none';
  async init(opts: EngineInit): Promise<EngineInfo> {
    return { name: this.name, device: 'none', models: [], version: '0', languages: opts.langs };
  }
  async recognize(): Promise<OcrResult> {
    return { lines: [] };
  }
  async dispose(): Promise<void> {}
}
