import type { EngineInfo, EngineInit, OcrEngine, OcrResult, PageImage, RecognizeOptions } from '../../../src/core/types.js';

export interface HangingEngineOptions {
  /** Which calls hang (0-based call index); default: every call. Others answer at once. */
  hangWhen?: (page: PageImage, call: number) => boolean;
  /** Finite delay instead of hanging forever (a slow file). */
  delayMs?: number;
}

/**
 * An engine that never answers (a stuck worker), or answers only after `delayMs` (a slow file).
 * Hung calls are released by `dispose()`, so a test process never keeps dangling timers or promises.
 * When a call answers it returns one line naming the page size.
 */
export class HangingEngine implements OcrEngine {
  readonly name = 'fake-hanging';
  calls = 0;
  /** Calls waiting right now. */
  pending = 0;
  private releases = new Set<() => void>();

  constructor(private readonly opts: HangingEngineOptions = {}) {}

  async init(opts: EngineInit): Promise<EngineInfo> {
    return { name: this.name, device: 'cpu', models: ['fake'], version: '0.0.0', languages: opts.langs };
  }

  async recognize(page: PageImage, _opts: RecognizeOptions): Promise<OcrResult> {
    const call = this.calls++;
    const answer: OcrResult = { lines: [{ text: `page ${page.width}x${page.height}`, confidence: 0.9, engine: this.name, box: [0, 0, page.width, page.height] }] };
    if (!(this.opts.hangWhen ? this.opts.hangWhen(page, call) : true)) return answer;
    this.pending++;
    try {
      await new Promise<void>((resolve) => {
        const release = () => {
          clearTimeout(timer);
          this.releases.delete(release);
          resolve();
        };
        const timer = this.opts.delayMs !== undefined ? setTimeout(release, this.opts.delayMs) : undefined;
        this.releases.add(release);
      });
    } finally {
      this.pending--;
    }
    return answer;
  }

  async dispose(): Promise<void> {
    for (const release of [...this.releases]) release();
  }
}
