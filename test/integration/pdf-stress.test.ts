/**
 * No hang after a bad PDF. pdf.js loads its fax/JBIG2 (and JPEG 2000) decoders once per process through the message
 * channel of the document opened last; a failed, destroyed document never answered, so every later CCITT/JBIG2
 * page of the run waited until limits.timeoutMs. The first test replays that order exactly; the second runs
 * corrupt and valid PDFs through the real pipeline, 50 rounds at concurrency 1 and 2, with a short time limit.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { ZakConfig } from '../../src/config/defaults.js';
import { decodePdf } from '../../src/decode/pdf.js';
import { runScan } from '../../src/pipeline/run-scan.js';
// @ts-expect-error plain ESM generator without type declarations
import { makeBilevelPdf, makeCorruptPdf, makeTextPdf } from '../../fixtures/pdf.mjs';
import { EmptyEngine } from '../fakes/engines/empty.js';
import { readJsonl, tempDir } from './scan-helpers.js';
import { quiet } from '../helpers/memory-sink.js';

const LIMITS = { maxPixels: 120_000_000, maxPagePixels: 40_000_000, maxPages: 10, dpi: 72 };
const ROUNDS = 50;
/** Per file; a valid file here reads in well under a second even on a loaded 2-core machine. */
const TIMEOUT_MS = 20_000;

const item = (name: string, bytes: Buffer) => ({ path: name, absPath: name, size: bytes.length });
let dir: string;
beforeAll(async () => {
  dir = await tempDir('pdf-stress');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PDFs after a failed PDF', () => {
  it('a document opened before a failed one still decodes its fax page afterwards', async () => {
    const good = decodePdf(makeBilevelPdf(800, 600, { ccitt: true, textPageFirst: ['Cover page'] }), item('good.pdf', Buffer.alloc(1)), LIMITS);
    const first = await good.next();
    expect(first.value?.textLayer?.[0]?.text).toBe('Cover page');
    const bad = decodePdf(makeCorruptPdf(44), item('bad.pdf', Buffer.alloc(44)), LIMITS);
    await expect(bad.next()).rejects.toMatchObject({ fileCode: 'corrupt_pdf' });
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<'stuck'>((resolve) => (timer = setTimeout(() => resolve('stuck'), TIMEOUT_MS)));
    const second = await Promise.race([good.next(), stuck]);
    clearTimeout(timer);
    expect(second).not.toBe('stuck');
    expect(second).toMatchObject({ done: false, value: { page: 1, width: 192, height: 144 } });
    await good.return(undefined);
  });

  it.each([1, 2])(`reads ${ROUNDS} rounds of corrupt and valid PDFs at concurrency %i with no timeout`, async (concurrency) => {
    const inputs = path.join(dir, `c${concurrency}`);
    await mkdir(inputs, { recursive: true });
    const corrupt = [makeCorruptPdf(44), Buffer.from('%PDF-1.4\ntrailer<</Root<</Pages<</Kids[1 0 R]/Count 1>>>>>>'), Buffer.from('%PDF-1.7\n' + 'garbage '.repeat(8))];
    const valid = [makeBilevelPdf(400, 300, { ccitt: true }), makeTextPdf([['Invoice 42', 'Total 10.00']]), makeBilevelPdf(400, 300, { ccitt: true, textPageFirst: ['Cover'] })];
    let files = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const round = String(r).padStart(3, '0');
      await writeFile(path.join(inputs, `${round}-a-bad.pdf`), corrupt[r % corrupt.length]);
      for (const [k, bytes] of valid.entries()) await writeFile(path.join(inputs, `${round}-b${k}-good.pdf`), bytes);
      files += 1 + valid.length;
    }
    const out = path.join(dir, `c${concurrency}.jsonl`);
    const flags = { out: [out], concurrency, engine: 'none' };
    const { config } = await loadConfig({ cwd: dir, env: { ZAKOCR_LIMITS_TIMEOUT_MS: String(TIMEOUT_MS), ZAKOCR_PREPROCESS_PDF_DPI: '50' }, flags });
    await runScan({ inputs: [inputs], config: config as ZakConfig, log: quiet, cwd: dir, deps: { engine: new EmptyEngine(), barcodeReader: null } });
    const records = await readJsonl(out);
    expect(records.filter((r) => r.error?.code === 'timeout').map((r) => r.file)).toEqual([]);
    expect(new Set(records.map((r) => r.file)).size).toBe(files);
    expect(records.filter((r) => r.status === 'failed').map((r) => r.error?.code)).toEqual(Array(ROUNDS).fill('corrupt_pdf'));
  }, 600_000);
});
