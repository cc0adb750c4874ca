/**
 * Model precision selection (ocr.paddle.precision) with the shipped derived files: each set loads, reads a
 * rendered line, names what ran, changes the pipeline version, and a file that does not match the manifest is a
 * start-up error (exit 2) naming the file and both digests.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { defaults } from '../../src/config/defaults.js';
import { MissingResourceError } from '../../src/core/errors.js';
import type { EngineInit, PageImage } from '../../src/core/types.js';
import { PaddleEngine } from '../../src/ocr/paddle/engine.js';
import { readManifest, resolveModels } from '../../src/ocr/paddle/models.js';
import { pipelineVersion } from '../../src/pipeline/version.js';

const LINE = 'Basmati Rice 5kg 450.00';
const PAGE = ['ZAKPOS SUPER SHOP', LINE, 'TOTAL 450.00'];

async function render(lines: string[]): Promise<PageImage> {
  const texts = lines.map((t, i) => `<text x="24" y="${65 * (i + 1)}" font-family="DejaVu Sans" font-size="34">${t}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="${65 * lines.length + 34}"><rect width="100%" height="100%" fill="white"/>${texts}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).flatten({ background: 'white' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3, page: null };
}

const init = (precision: string): EngineInit => ({ langs: ['eng'], concurrency: 1, device: 'cpu', threads: 1, settings: { paddle: { precision } } });

describe('ocr.paddle.precision', () => {
  it.each([
    ['int8', ['ch_PP-OCRv4_det_int8', 'ch_ppocr_mobile_v2.0_cls_int8', 'ch_PP-OCRv4_rec_int8']],
    ['folded', ['ch_PP-OCRv4_det_folded', 'ch_ppocr_mobile_v2.0_cls_folded', 'ch_PP-OCRv4_rec_folded']],
    ['fp32', ['ch_PP-OCRv4_det', 'ch_ppocr_mobile_v2.0_cls', 'ch_PP-OCRv4_rec']],
  ])('%s: loads its models, names them in engine.models and reads a rendered page and a line image exactly', async (precision, names) => {
    const engine = new PaddleEngine({ latinOnly: true, workers: 0 });
    try {
      const info = await engine.init(init(precision));
      expect(info.models).toEqual(names);
      expect((await engine.recognize(await render(PAGE), { langs: ['eng'] })).lines.map((l) => l.text)).toEqual(PAGE);
      expect((await engine.recognize(await render([LINE]), { langs: ['eng'], layout: 'line' })).lines.map((l) => l.text)).toEqual([LINE]);
    } finally {
      await engine.dispose();
    }
  });

  it('auto takes the manifest CPU set on the CPU, and the pipeline version differs from fp32 (--resume never mixes them)', async () => {
    const cpu = readManifest().cpuDefault!;
    const auto = new PaddleEngine({ latinOnly: true, workers: 0 });
    const fp32 = new PaddleEngine({ latinOnly: true, workers: 0 });
    try {
      const a = await auto.init(init('auto'));
      const f = await fp32.init(init('fp32'));
      expect(a.models[0]).toBe(`ch_PP-OCRv4_det_${cpu}`);
      const config = (precision: string) => ({ ...defaults, ocr: { ...defaults.ocr, paddle: { ...defaults.ocr.paddle, precision } } }) as typeof defaults;
      expect(pipelineVersion(config('auto'), a)).not.toBe(pipelineVersion(config('auto'), f));
    } finally {
      await Promise.all([auto.dispose(), fp32.dispose()]);
    }
  });

  it('names the derived file and both digests when it does not match the manifest', async () => {
    const manifest = readManifest();
    const rec = manifest.variants!.int8!.rec!;
    const bad = { ...manifest, variants: { ...manifest.variants, int8: { ...manifest.variants!.int8!, rec: { ...rec, sha256: 'f'.repeat(64) } } } };
    const err = await resolveModels(bad, 'int8').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingResourceError);
    expect((err as MissingResourceError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(new RegExp(`int8/ch_PP-OCRv4_rec_int8\\.onnx has sha256 ${rec.sha256}; models/manifest\\.json expects f{64} \\(int8 model derived from ch_PP-OCRv4_rec_infer\\.onnx\\)`));
  });

  it('a precision the manifest has no files for is a clear error', async () => {
    const manifest = readManifest();
    const err = await resolveModels({ ...manifest, variants: {} }, 'int8').catch((e: unknown) => e);
    expect((err as Error).message).toBe('models/manifest.json has no int8 det model (variants.int8.det)');
  });
});
