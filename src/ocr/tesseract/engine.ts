import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import Tesseract from 'tesseract.js';
import { LANGS } from '../../core/choices.js';
import { ZakocrError, errorMessage } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { Box, EngineInfo, EngineInit, Lang, OcrEngine, OcrLine, OcrResult, PageImage, ProbeResult, RecognizeOptions } from '../../core/types.js';
import { LINE_IMAGE_MAX_HEIGHT_PX } from '../../core/image.js';
import { countTextBands } from '../../core/ink.js';
import { TESSDATA_VARIANT, langDataPath, tessdataDir } from './lang-data.js';
import { encodePnm } from './pnm.js';
import { orderLines } from '../../layout/index.js';

const require = createRequire(import.meta.url);
const TESSERACT_VERSION: string = (require('tesseract.js/package.json') as { version: string }).version;

/** Tesseract page segmentation modes we use. */
const PSM_AUTO = '3';
const PSM_SINGLE_LINE = '7';
/** Only pages at most this tall may be read as a single text line (line datasets, re-read crops)… */
const LINE_MAX_HEIGHT_PX = LINE_IMAGE_MAX_HEIGHT_PX;
/** …and, when the pixels are not at hand, only when at least this wide for their height. */
const LINE_MIN_ASPECT = 3;

interface PooledWorker {
  worker: Tesseract.Worker;
  psm: string;
  langKey: string;
}

function langKey(langs: Lang[]): string {
  return [...langs].sort().join('+');
}

/**
 * Picks the segmentation mode: explicit config, the caller's layout hint, else the page itself: a low page holding
 * exactly one band of text is a single line. (Shape alone misreads a short two-line label, 534x137 px, as one line,
 * and single-line mode then returns garbage.) Without pixels, a low and wide shape decides.
 */
export function choosePsm(
  page: { width: number; height: number } & Partial<Pick<PageImage, 'data' | 'channels'>>,
  layout: RecognizeOptions['layout'],
  configured: string,
): string {
  if (configured !== 'auto') return configured;
  if (layout === 'line') return PSM_SINGLE_LINE;
  if (layout === 'page') return PSM_AUTO;
  if (page.height > LINE_MAX_HEIGHT_PX || page.height === 0) return PSM_AUTO;
  if (page.data && page.channels) {
    return countTextBands({ data: page.data, width: page.width, height: page.height, channels: page.channels }, 2) === 1 ? PSM_SINGLE_LINE : PSM_AUTO;
  }
  return page.width / page.height >= LINE_MIN_ASPECT ? PSM_SINGLE_LINE : PSM_AUTO;
}

function toBox(b: Tesseract.Bbox): Box {
  return [b.x0, b.y0, Math.max(0, b.x1 - b.x0), Math.max(0, b.y1 - b.y0)];
}

const unit = (c: number): number => Math.max(0, Math.min(1, c / 100));

/**
 * One confidence per character of `text` (spaces included, as PP-OCR gives them), from the line's symbols, else its
 * word's confidence; a space takes the lower of its two words. Undefined when the words do not spell `text`.
 */
export function symbolConfidences(line: Pick<Tesseract.Line, 'words'>, text: string): number[] | undefined {
  const words = (line.words ?? []).filter((w) => w.text.trim() !== '');
  if (words.length === 0 || words.map((w) => w.text.trim()).join(' ') !== text) return undefined;
  const out: number[] = [];
  words.forEach((w, i) => {
    if (i > 0) out.push(unit(Math.min(w.confidence, words[i - 1].confidence)));
    const word = w.text.trim();
    const symbols = w.symbols ?? [];
    const aligned = symbols.length === [...word].length;
    [...word].forEach((ch, k) => {
      const c = unit(aligned ? symbols[k].confidence : w.confidence);
      for (let u = 0; u < ch.length; u++) out.push(c);
    });
  });
  return out.length === text.length ? out : undefined;
}

/** Flattens tesseract.js blocks → paragraphs → lines into our lines (reading order as Tesseract gives it). */
export function linesFromPage(page: Pick<Tesseract.Page, 'blocks'>): OcrLine[] {
  const out: OcrLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const para of block.paragraphs ?? []) {
      for (const line of para.lines ?? []) {
        const text = line.text.replace(/\s+$/u, '').replace(/^\s+/u, '');
        if (!text) continue;
        const charConfidences = symbolConfidences(line, text);
        out.push({
          text, confidence: Math.max(0, Math.min(1, line.confidence / 100)), engine: 'tesseract', box: toBox(line.bbox),
          ...(charConfidences ? { charConfidences } : {}),
        });
      }
    }
  }
  return out;
}

interface WorkerPool {
  all: PooledWorker[];
  idle: PooledWorker[];
  waiters: Array<(w: PooledWorker) => void>;
  /** Workers still being created (pools grow lazily up to the concurrency). */
  creating: number;
}

/**
 * tesseract.js engine: one pool of workers per language set, each sized to the pipeline concurrency,
 * created on first use and reused. Language data comes from the `@tesseract.js-data/*` npm packages via
 * `langPath` with `cacheMethod: 'none'` (never the network).
 */
export class TesseractEngine implements OcrEngine {
  readonly name = 'tesseract';
  private pools = new Map<string, WorkerPool>();
  private size = 1;
  private langs: Lang[] = ['eng'];
  private psmSetting = 'auto';

  /**
   * @param opts.startOnInit start one worker in `init` (default), so a broken install fails at start-up, not on the
   *   first file. The auto engine's fallback passes false: it only checks the language files then, and a run that
   *   never re-reads a line (labels PP-OCR is sure of) never pays a worker's start-up and memory (~80 MB).
   */
  constructor(private readonly opts: { startOnInit?: boolean } = {}) {}

  async init(opts: EngineInit): Promise<EngineInfo> {
    this.langs = opts.langs.length ? opts.langs : ['eng'];
    this.psmSetting = opts.settings.tesseract?.psm ?? 'auto';
    this.size = Math.max(1, opts.concurrency);
    if (this.opts.startOnInit ?? true) {
      const pool = this.pool(this.langs);
      pool.idle.push(await this.grow(pool, this.langs));
    } else {
      tessdataDir(this.langs);
    }
    return {
      name: this.name,
      device: 'wasm',
      models: this.langs.map((l) => `tesseract-${l}-${TESSDATA_VARIANT}`),
      version: TESSERACT_VERSION,
      languages: this.langs,
      readsAtPageResolution: true,
    };
  }

  private pool(langs: Lang[]): WorkerPool {
    const key = langKey(langs);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = { all: [], idle: [], waiters: [], creating: 0 };
      this.pools.set(key, pool);
    }
    return pool;
  }

  private async createWorker(langs: Lang[]): Promise<PooledWorker> {
    // tessdataDir checks the files first: a missing language file kills the process from inside the worker.
    const langPath = tessdataDir(langs);
    try {
      const worker = await Tesseract.createWorker(langs.join('+'), Tesseract.OEM.LSTM_ONLY, {
        langPath,
        cacheMethod: 'none',
        gzip: true,
        errorHandler: () => undefined,
      });
      // debug_file: Tesseract prints statistics dumps ("Mean= 0.00 SD= 0.00") to stderr on empty crops otherwise.
      await worker.setParameters({ tessedit_pageseg_mode: PSM_AUTO as Tesseract.PSM, user_defined_dpi: '300', debug_file: '/dev/null' });
      return { worker, psm: PSM_AUTO, langKey: langKey(langs) };
    } catch (err) {
      if (err instanceof ZakocrError) throw err;
      throw new ZakocrError('engine_init', `Tesseract could not start (${langs.join('+')}): ${errorMessage(err)}`, ExitCode.usage, { cause: err });
    }
  }

  private async acquire(langs: Lang[], signal?: AbortSignal): Promise<PooledWorker> {
    const pool = this.pool(langs);
    const w = pool.idle.pop();
    if (w) return w;
    if (pool.all.length + pool.creating < this.size) return this.grow(pool, langs);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        pool.waiters = pool.waiters.filter((x) => x !== waiter);
        reject(new Error('Tesseract read cancelled'));
      };
      const waiter = (pooled: PooledWorker) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(pooled);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      pool.waiters.push(waiter);
    });
  }

  private async grow(pool: WorkerPool, langs: Lang[]): Promise<PooledWorker> {
    pool.creating++;
    try {
      const created = await this.createWorker(langs);
      pool.all.push(created);
      return created;
    } finally {
      pool.creating--;
    }
  }

  private release(langs: Lang[], w: PooledWorker): void {
    const pool = this.pool(langs);
    const next = pool.waiters.shift();
    if (next) next(w);
    else pool.idle.push(w);
  }

  /**
   * Drops a worker stuck on a cancelled page (the file ran past limits.timeoutMs): terminating is the only way to
   * stop a WASM call, and a page waiting for a worker gets a fresh one instead.
   */
  private discard(langs: Lang[], w: PooledWorker): void {
    const pool = this.pool(langs);
    pool.all = pool.all.filter((x) => x !== w);
    void w.worker.terminate().catch(() => undefined);
    const next = pool.waiters.shift();
    if (next) this.grow(pool, langs).then(next, () => pool.waiters.unshift(next));
  }

  async recognize(page: PageImage, opts: RecognizeOptions): Promise<OcrResult> {
    const started = performance.now();
    const langs = opts.langs?.length ? opts.langs : this.langs;
    if (opts.signal?.aborted) throw new Error('Tesseract read cancelled');
    const pooled = await this.acquire(langs, opts.signal);
    let cancelled = false;
    let onAbort = () => {};
    // tesseract.js leaves a terminated worker's job pending forever: the abort itself settles the read.
    const abortion = new Promise<never>((_, reject) => {
      onAbort = () => {
        cancelled = true;
        this.discard(langs, pooled);
        reject(new Error('Tesseract read cancelled'));
      };
    });
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const read = async (): Promise<OcrResult> => {
      const psm = choosePsm(page, opts.layout, this.psmSetting);
      if (pooled.psm !== psm) {
        await pooled.worker.setParameters({ tessedit_pageseg_mode: psm as Tesseract.PSM });
        pooled.psm = psm;
      }
      const { data } = await pooled.worker.recognize(encodePnm(page), {}, { blocks: true, text: false });
      // A page read with Tesseract's own layout analysis is laid out like every other engine's (receipts row by row).
      const lines = psm === PSM_AUTO ? orderLines(linesFromPage(data)) : linesFromPage(data);
      return { lines, timingsMs: { tesseract: Math.round(performance.now() - started) } };
    };
    try {
      return await Promise.race([read(), abortion]);
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      if (!cancelled) this.release(langs, pooled);
    }
  }

  /** `zakocr doctor`: the language data of every language zakocr reads is installed. */
  async probe(): Promise<ProbeResult[]> {
    return LANGS.map((lang): ProbeResult => {
      const fix = `ONNXRUNTIME_NODE_INSTALL=skip npm install @tesseract.js-data/${lang}`;
      try {
        const file = langDataPath(lang);
        return existsSync(file) ? { name: `tesseract ${lang}`, status: 'ok', detail: file } : { name: `tesseract ${lang}`, status: 'fail', detail: `missing ${file}`, fix };
      } catch (err) {
        return { name: `tesseract ${lang}`, status: 'fail', detail: errorMessage(err), fix };
      }
    });
  }

  async dispose(): Promise<void> {
    const workers = [...this.pools.values()].flatMap((p) => p.all);
    this.pools.clear();
    await Promise.allSettled(workers.map((w) => w.worker.terminate()));
  }
}
