import { describe, expect, it } from 'vitest';
import { orderLines } from '../layout/index.js';
import { PDF_TEXT_ENGINE, runsToLines, type TextRun } from './pdf.js';

const run = (text: string, x: number, y: number, width: number, extra: Partial<TextRun> = {}): TextRun => ({
  text,
  x,
  y,
  width,
  size: 20,
  angle: 0,
  eol: false,
  ...extra,
});

describe('runsToLines', () => {
  it.each<[string, TextRun[], string[]]>([
    ['one run', [run('Total', 100, 200, 50)], ['Total']],
    ['touching runs join without a space', [run('Tot', 100, 200, 30), run('al', 130, 200, 20)], ['Total']],
    ['a gap becomes one space', [run('Total', 100, 200, 50), run('450.00', 170, 200, 60)], ['Total 450.00']],
    ['explicit space runs are dropped, the gap still spaces', [run('A', 100, 200, 10), run(' ', 110, 200, 400), run('B', 130, 200, 10)], ['A B']],
    ['table cells on one baseline stay pieces (the layout joins them)', [run('Rice', 100, 200, 40), run('2', 200, 200, 10), run('90.00', 270, 200, 50)], ['Rice', '2', '90.00']],
    ['far-apart cells stay separate lines', [run('Left', 100, 200, 40), run('Right', 900, 200, 50)], ['Left', 'Right']],
    ['content-stream order does not matter: top to bottom, left to right', [run('second', 100, 260, 60), run('first', 100, 200, 50)], ['first', 'second']],
    ['baselines within 40% of the font size are one line (superscripts, jitter)', [run('m', 100, 200, 15), run('2', 116, 194, 8)], ['m2']],
    ['whitespace-only and empty runs give nothing', [run('   ', 100, 200, 30), run('', 100, 300, 0)], []],
    ['inner whitespace is collapsed', [run('Grand    Total', 100, 200, 140)], ['Grand Total']],
  ])('%s', (_n, runs, texts) => {
    expect(runsToLines(runs).map((l) => l.text)).toEqual(texts);
  });

  it('laid out, table cells on one baseline form one row and a column gutter keeps two columns apart', () => {
    expect(orderLines(runsToLines([run('Rice', 100, 200, 40), run('2', 200, 200, 10), run('90.00', 270, 200, 50)])).map((l) => l.text)).toEqual(['Rice 2 90.00']);
    const columns = [0, 1, 2, 3].flatMap((i) => [run(`left column line ${i} of text`, 100, 200 + 28 * i, 300), run(`right column line ${i} here`, 440, 200 + 28 * i, 300)]);
    expect(orderLines(runsToLines(columns)).map((l) => l.text)).toEqual([0, 1, 2, 3].map((i) => `left column line ${i} of text`).concat([0, 1, 2, 3].map((i) => `right column line ${i} here`)));
  });

  it('gives exact pdf-text lines with pixel boxes from the font metrics', () => {
    const [line] = runsToLines([run('Invoice', 100, 200, 70)]);
    expect(line).toEqual({ text: 'Invoice', confidence: 1, engine: PDF_TEXT_ENGINE, box: [100, 184, 70, 20.4] });
  });

  it('boxes vertical text (rotated 90°) by its turned extent', () => {
    const [line] = runsToLines([run('SIDE', 100, 200, 80, { angle: Math.PI / 2 })]);
    expect(line.box[3]).toBeCloseTo(80, 0);
    expect(line.box[2]).toBeCloseTo(20, 0);
  });
});
