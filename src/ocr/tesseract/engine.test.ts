import { describe, expect, it } from 'vitest';
import type Tesseract from 'tesseract.js';
import type { PageImage } from '../../core/types.js';
import { choosePsm, linesFromPage, symbolConfidences } from './engine.js';
import { encodePnm } from './pnm.js';
import { barsPage } from '../../../test/fakes/pages.js';

describe('choosePsm', () => {
  it.each<[string, PageImage, string]>([
    ['one band of text → single line', barsPage(465, 108, [[30, 70]]), '7'],
    ['one band, even when not wide (a short UW3 line)', barsPage(120, 47, [[10, 38]]), '7'],
    ['two bands in a flat, wide label → automatic (shape alone said single line)', barsPage(534, 137, [[34, 62], [75, 103]]), '3'],
    ['blank → automatic', barsPage(534, 137, []), '3'],
    ['one band but taller than a line image → automatic', barsPage(900, 161, [[40, 120]]), '3'],
  ])('pixels: %s', (_name, page, expected) => {
    expect(choosePsm(page, undefined, 'auto')).toBe(expected);
  });

  it.each<[string, { width: number; height: number }, 'page' | 'line' | undefined, string, string]>([
    ['a configured mode always wins', { width: 2000, height: 40 }, 'page', '6', '6'],
    ['a configured mode wins over the line hint', { width: 100, height: 100 }, 'line', '11', '11'],
    ['line hint → single line', { width: 600, height: 600 }, 'line', 'auto', '7'],
    ['page hint → automatic', { width: 900, height: 40 }, 'page', 'auto', '3'],
    ['no pixels, no hint, flat and wide → single line', { width: 465, height: 108 }, undefined, 'auto', '7'],
    ['no pixels, no hint, exactly at the limits → single line', { width: 480, height: 160 }, undefined, 'auto', '7'],
    ['no pixels, no hint, one pixel too tall → automatic', { width: 1000, height: 161 }, undefined, 'auto', '3'],
    ['no pixels, no hint, flat but not wide enough → automatic', { width: 300, height: 101 }, undefined, 'auto', '3'],
    ['no pixels, no hint, a receipt page → automatic', { width: 800, height: 2400 }, undefined, 'auto', '3'],
    ['zero height → automatic', { width: 10, height: 0 }, undefined, 'auto', '3'],
  ])('%s', (_name, page, layout, configured, expected) => {
    expect(choosePsm(page, layout, configured)).toBe(expected);
  });
});

type Line = { text: string; confidence: number; bbox: Tesseract.Bbox };
const bbox = (x0: number, y0: number, x1: number, y1: number): Tesseract.Bbox => ({ x0, y0, x1, y1 });
const pageOf = (blocks: Line[][][]): Pick<Tesseract.Page, 'blocks'> =>
  ({ blocks: blocks.map((paras) => ({ paragraphs: paras.map((lines) => ({ lines })) })) }) as unknown as Pick<Tesseract.Page, 'blocks'>;

describe('linesFromPage', () => {
  it('flattens blocks → paragraphs → lines in Tesseract order, trimming text and scaling confidence to 0..1', () => {
    const page = pageOf([
      [
        [
          { text: 'ZAKPOS GENERAL STORE\n', confidence: 94.5, bbox: bbox(32, 30, 398, 56) },
          { text: '  Basmati Rice 5kg Tk 450.00 \n', confidence: 91, bbox: bbox(32, 68, 394, 94) },
        ],
      ],
      [[{ text: 'TOTAL Tk 930.00\n', confidence: 96, bbox: bbox(32, 182, 276, 206) }]],
    ]);
    expect(linesFromPage(page)).toEqual([
      { text: 'ZAKPOS GENERAL STORE', confidence: 0.945, engine: 'tesseract', box: [32, 30, 366, 26] },
      { text: 'Basmati Rice 5kg Tk 450.00', confidence: 0.91, engine: 'tesseract', box: [32, 68, 362, 26] },
      { text: 'TOTAL Tk 930.00', confidence: 0.96, engine: 'tesseract', box: [32, 182, 244, 24] },
    ]);
  });

  it.each<[string, Line, { text: string; confidence: number; box: number[] } | null]>([
    ['blank line dropped', { text: ' \n', confidence: 95, bbox: bbox(0, 0, 10, 10) }, null],
    ['empty line dropped', { text: '', confidence: 0, bbox: bbox(0, 0, 0, 0) }, null],
    ['confidence above 100 clamps to 1', { text: 'a', confidence: 140, bbox: bbox(0, 0, 5, 5) }, { text: 'a', confidence: 1, box: [0, 0, 5, 5] }],
    ['negative confidence clamps to 0', { text: 'a', confidence: -3, bbox: bbox(0, 0, 5, 5) }, { text: 'a', confidence: 0, box: [0, 0, 5, 5] }],
    ['inverted bbox gives a zero-size box', { text: 'a', confidence: 50, bbox: bbox(9, 9, 4, 4) }, { text: 'a', confidence: 0.5, box: [9, 9, 0, 0] }],
    ['inner spaces kept (Bengali too)', { text: 'চাল ৫ কেজি  ৳৪৫০\n', confidence: 80, bbox: bbox(1, 2, 3, 4) }, { text: 'চাল ৫ কেজি  ৳৪৫০', confidence: 0.8, box: [1, 2, 2, 2] }],
  ])('%s', (_name, line, expected) => {
    const out = linesFromPage(pageOf([[[line]]]));
    expect(out).toEqual(expected ? [{ ...expected, engine: 'tesseract' }] : []);
  });

  it('copes with missing blocks, paragraphs or lines', () => {
    expect(linesFromPage({ blocks: null } as unknown as Pick<Tesseract.Page, 'blocks'>)).toEqual([]);
    expect(linesFromPage({ blocks: [{ paragraphs: null }, { paragraphs: [{ lines: null }] }] } as unknown as Pick<Tesseract.Page, 'blocks'>)).toEqual([]);
  });
});

describe('symbolConfidences', () => {
  const word = (text: string, confidence: number, symbols?: number[]) =>
    ({ text, confidence, symbols: symbols?.map((c, i) => ({ text: text[i], confidence: c })) }) as unknown as Tesseract.Word;
  const line = (...words: Tesseract.Word[]) => ({ words }) as Pick<Tesseract.Line, 'words'>;
  it.each<[string, Pick<Tesseract.Line, 'words'>, string, number[] | undefined]>([
    ['symbols, and a space as sure as its weaker word', line(word('Tk', 90, [80, 95]), word('450', 60, [60, 70, 50])), 'Tk 450', [0.8, 0.95, 0.6, 0.6, 0.7, 0.5]],
    ['a word without aligned symbols takes its own confidence', line(word('ab', 70)), 'ab', [0.7, 0.7]],
    ['words that do not spell the text give none', line(word('ab', 70)), 'abc', undefined],
    ['no words give none', line(), 'abc', undefined],
  ])('%s', (_name, l, text, expected) => {
    const out = symbolConfidences(l, text);
    if (expected === undefined) expect(out).toBeUndefined();
    else expect(out!.map((c) => Math.round(c * 100) / 100)).toEqual(expected);
  });
});

describe('encodePnm', () => {
  it.each<[string, 1 | 3 | 4, number[], string, number[]]>([
    ['grey → P5', 1, [0, 128, 255, 7], 'P5\n2 2\n255\n', [0, 128, 255, 7]],
    ['RGB → P6', 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'P6\n2 2\n255\n', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]],
    ['RGBA → P6 without alpha', 4, [1, 2, 3, 99, 4, 5, 6, 99, 7, 8, 9, 99, 10, 11, 12, 99], 'P6\n2 2\n255\n', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]],
  ])('%s', (_name, channels, pixels, header, body) => {
    const out = encodePnm({ data: Buffer.from(pixels), width: 2, height: 2, channels, page: null });
    expect(out.subarray(0, header.length).toString('ascii')).toBe(header);
    expect([...out.subarray(header.length)]).toEqual(body);
  });

  it('ignores bytes past the image (a pooled buffer larger than the page)', () => {
    const out = encodePnm({ data: Buffer.from([1, 2, 3, 4, 5, 6]), width: 2, height: 2, channels: 1, page: null });
    expect([...out.subarray('P5\n2 2\n255\n'.length)]).toEqual([1, 2, 3, 4]);
  });
});
