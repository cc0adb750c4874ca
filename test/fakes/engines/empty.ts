import type { EngineInfo, EngineInit, OcrEngine, OcrResult } from '../../../src/core/types.js';

/** An engine that runs fine and finds no text at all (a blank page, a photo without text). */
export class EmptyEngine implements OcrEngine {
  readonly name = 'fake-empty';
  calls = 0;

  async init(opts: EngineInit): Promise<EngineInfo> {
    return { name: this.name, device: 'cpu', models: ['fake'], version: '0.0.0', languages: opts.langs };
  }

  async recognize(): Promise<OcrResult> {
    this.calls++;
    return { lines: [] };
  }

  async dispose(): Promise<void> {}
}
