import type { EngineInfo, EngineInit, OcrEngine, OcrResult, PageImage } from '../../../src/core/types.js';

/**
 * An engine that reads one line naming the page size and counts its calls, optionally after `delayMs` (a slow
 * engine). `model` goes into the engine info, so a test gets a pipeline version of its own (shared caches and
 * queues on the machine's Redis never see another test's results).
 */
export class CountingEngine implements OcrEngine {
  readonly name = 'fake-counting';
  calls = 0;
  /** Most calls that were running at the same time. */
  maxInFlight = 0;
  private inFlight = 0;

  constructor(private readonly model = 'fake', private readonly delayMs = 0) {}

  async init(opts: EngineInit): Promise<EngineInfo> {
    return { name: this.name, device: 'cpu', models: [this.model], version: '0.0.0', languages: opts.langs };
  }

  async recognize(page: PageImage): Promise<OcrResult> {
    this.calls++;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs)).finally(() => this.inFlight--);
    else this.inFlight--;
    return { lines: [{ text: `page ${page.width}x${page.height}`, confidence: 0.9, engine: this.name, box: [0, 0, page.width, page.height] }] };
  }

  async dispose(): Promise<void> {}
}
