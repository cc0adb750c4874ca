import { describe, expect, it } from 'vitest';
import { defaults, type ZakConfig } from '../config/defaults.js';
import type { Dataset } from './datasets.js';
import { parseEngineList, planVariants, settingsDiff } from './variants.js';

const ds = (over: Partial<Dataset['items'][number]>, lang?: 'ben'): Dataset => ({
  name: 'd', root: '/d', format: 'manifest', compare: {}, warnings: [], lang,
  items: [{ id: 'a', images: ['/d/a.png'], docType: 'line', layout: 'line', ...over }],
});

const load = (over: Partial<ZakConfig> = {}) => async (file: string | undefined): Promise<ZakConfig> => ({
  ...structuredClone(defaults), ...(file === 'ben.json' ? { lang: 'ben' } : {}), ...over,
});

const plan = (dataset: Dataset, engines: string[] = [], configFiles: string[] = [], extra: { langGiven?: boolean; allStages?: boolean } = {}) =>
  planVariants({ engines, configFiles, dataset, load: load(), langGiven: extra.langGiven ?? false, allStages: extra.allStages ?? false });

describe('parseEngineList', () => {
  it('splits comma lists from repeated flags', () => {
    expect(parseEngineList(['paddle,tesseract', 'auto'])).toEqual(['paddle', 'tesseract', 'auto']);
  });
  it('rejects unknown engines listing the allowed ones', () => {
    expect(() => parseEngineList(['padle'])).toThrow('--engine padle: must be one of auto, paddle, tesseract, none');
  });
});

describe('planVariants', () => {
  it('one variant per engine, named by engine, barcode reader off for a text-only set', async () => {
    const { variants, notes } = await plan(ds({ text: 'x' }), ['paddle', 'tesseract']);
    expect(variants.map((v) => [v.name, v.config.engine, v.config.barcode.enabled, v.source])).toEqual([
      ['paddle', 'paddle', false, '--engine paddle'],
      ['tesseract', 'tesseract', false, '--engine tesseract'],
    ]);
    expect(variants[1]!.settings).toEqual({ engine: 'tesseract' });
    expect(notes).toEqual(['dataset has no barcode labels: barcode reader off; pass --all-stages to keep it on']);
  });

  it('configs × engines, named config:engine', async () => {
    const { variants } = await plan(ds({ text: 'x' }), ['tesseract', 'auto'], ['fast.json', 'ben.json']);
    expect(variants.map((v) => v.name)).toEqual(['fast:tesseract', 'fast:auto', 'ben:tesseract', 'ben:auto']);
    expect(variants[2]!.settings).toEqual({ lang: 'ben' });
  });

  it('barcode-only set: OCR off unless an engine is asked for', async () => {
    const b = ds({ barcodes: [{ format: 'EAN_13', text: '4006381333931' }] });
    const { variants, notes } = await plan(b);
    expect(variants.map((v) => [v.name, v.config.engine, v.config.barcode.enabled])).toEqual([['none', 'none', true]]);
    expect(notes[0]).toBe('dataset has only barcode labels: OCR off (engine none); pass --engine or --all-stages to run it');
    expect((await plan(b, ['tesseract'])).variants[0]!.config.engine).toBe('tesseract');
    expect((await plan(b, [], [], { allStages: true })).variants[0]!.config.engine).toBe('auto');
  });

  it('Bengali labels switch lang to ben unless --lang was given', async () => {
    const b = ds({ text: 'দাম' }, 'ben');
    expect((await plan(b)).variants[0]!.config.lang).toBe('ben');
    expect((await plan(b, [], [], { langGiven: true })).variants[0]!.config.lang).toBe('eng');
  });

  it('keeps names unique', async () => {
    expect((await plan(ds({ text: 'x' }), ['tesseract', 'tesseract'])).variants.map((v) => v.name)).toEqual(['tesseract', 'tesseract#2']);
  });

  it('lists differing settings as dotted keys', () => {
    const a = structuredClone(defaults);
    const b = structuredClone(defaults);
    b.ocr.paddle.det.boxThresh = 0.6;
    expect(settingsDiff(a, b)).toEqual({ 'ocr.paddle.det.boxThresh': 0.6 });
  });
});
