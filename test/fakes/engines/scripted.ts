import type { EngineInfo, EngineInit, OcrEngine, OcrResult, PageImage, RecognizeOptions } from '../../../src/core/types.js';

/**
 * An engine that "reads" the same text on every page: one line per string, stacked from the top with boxes inside
 * the page. For tests where the pipeline around OCR matters (extraction, sinks, the HTTP service), not the OCR.
 */
export class ScriptedEngine implements OcrEngine {
  readonly name = 'fake-scripted';
  calls = 0;
  inits = 0;

  constructor(private readonly lines: string[], private readonly delayMs = 0) {}

  async init(opts: EngineInit): Promise<EngineInfo> {
    this.inits++;
    return { name: this.name, device: 'cpu', models: ['fake'], version: '0.0.0', languages: opts.langs };
  }

  async recognize(page: PageImage, opts: RecognizeOptions): Promise<OcrResult> {
    this.calls++;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (opts.signal?.aborted) throw new Error('aborted');
    const step = Math.max(1, Math.floor(page.height / (this.lines.length + 1)));
    return {
      lines: this.lines.map((text, i) => ({
        text,
        confidence: 0.97,
        engine: this.name,
        box: [Math.min(4, page.width - 1), Math.min(i * step + 2, page.height - 1), Math.max(1, page.width - 8), Math.max(1, step - 4)],
      })),
    };
  }

  async dispose(): Promise<void> {}
}
