import { describe, expect, it } from 'vitest';
import type { Quad } from '../core/types.js';
import { readingOrder } from './blocks.js';

/** Text height of the synthetic pages (pixels); line pitch is 1.4 of it. */
const H = 20;
const PITCH = 28;

/** A box as a quad, optionally slanted by `slope` (dy/dx) about the page origin. */
function box(x: number, y: number, w: number, h = H, slope = 0): Quad {
  const at = (px: number, py: number): [number, number] => [px, py + slope * px];
  return [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h)];
}

/** A page as named boxes; `readingOrder` is asked for the names in reading order, rows as "a b", blocks by "|". */
class Page {
  readonly names: string[] = [];
  readonly quads: Quad[] = [];
  add(name: string, q: Quad): this {
    this.names.push(name);
    this.quads.push(q);
    return this;
  }
  read(): string {
    const { rows, blocks } = readingOrder(this.quads);
    return rows.map((r, i) => (i > 0 && blocks[i] !== blocks[i - 1] ? '| ' : '') + r.map((k) => this.names[k]).join(' ')).join(' / ');
  }
}

/** Column text: `n` lines starting at (x, y), widths varying like ragged prose (12-19 text heights). */
function column(page: Page, prefix: string, x: number, y: number, n: number, slope = 0, pitch = PITCH): Page {
  for (let i = 0; i < n; i++) page.add(`${prefix}${i}`, box(x, y + i * pitch, (12 + ((i * 7) % 8)) * H, H, slope));
  return page;
}

const seq = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' / ');

describe('readingOrder: blocks and columns', () => {
  it('reads two columns one after the other, even when their rows line up exactly', () => {
    const page = column(column(new Page(), 'L', 100, 100, 8), 'R', 100 + 20 * H, 100, 8);
    expect(page.read()).toBe(`${seq('L', 8)} / | ${seq('R', 8)}`);
  });

  it('reads a full-width heading first and a full-width footer last, with no gap around them', () => {
    const page = new Page().add('head', box(100, 100 - PITCH, 40 * H));
    column(column(page, 'L', 100, 100, 6), 'R', 100 + 20 * H, 100, 6);
    page.add('foot', box(100, 100 + 6 * PITCH, 40 * H));
    expect(page.read()).toBe(`head / | ${seq('L', 6)} / | ${seq('R', 6)} / | foot`);
  });

  it('keeps a side box apart from the main column beside it', () => {
    const page = column(new Page(), 'M', 100, 100, 10);
    // A narrower box of shorter lines at its own pitch, to the right of the middle of the main column.
    for (let i = 0; i < 4; i++) page.add(`S${i}`, box(100 + 22 * H, 150 + i * 24, (6 + i) * H, 16));
    expect(page.read()).toBe(`${seq('M', 10)} / | ${seq('S', 4)}`);
  });

  it('splits a column at a paragraph break (a blank line of whitespace)', () => {
    const page = column(column(new Page(), 'A', 100, 100, 3), 'B', 100, 100 + 3 * PITCH + 2 * H, 3);
    expect(page.read()).toBe(`${seq('A', 3)} / | ${seq('B', 3)}`);
  });

  it('keeps columns on a skewed page (slope 0.04)', () => {
    const page = column(column(new Page(), 'L', 100, 100, 8, 0.04), 'R', 100 + 20 * H, 100, 8, 0.04);
    expect(page.read()).toBe(`${seq('L', 8)} / | ${seq('R', 8)}`);
  });

  it('reads a table (item | qty | price | amount) row by row', () => {
    const page = new Page()
      .add('h-item', box(100, 100, 4 * H)).add('h-qty', box(400, 100, 3 * H)).add('h-price', box(500, 100, 4 * H)).add('h-amount', box(620, 100, 5 * H));
    for (let i = 0; i < 6; i++) {
      const y = 100 + (i + 1) * PITCH;
      page.add(`item${i}`, box(100, y, (8 + (i % 3) * 3) * H)).add(`qty${i}`, box(420, y, 0.6 * H)).add(`price${i}`, box(510, y, 3 * H)).add(`amount${i}`, box(630, y, 3.5 * H));
    }
    const rows = ['h-item h-qty h-price h-amount', ...Array.from({ length: 6 }, (_, i) => `item${i} qty${i} price${i} amount${i}`)];
    expect(page.read()).toBe(rows.join(' / '));
  });

  it.each([
    ['right-aligned amounts', (i: number) => (2.5 + (i % 3)) * H],
    ['amounts of one width ("RM 29.70")', () => 4.5 * H],
  ])('reads a receipt row by row: centred header, label | %s, centred footer', (_name, amountWidth) => {
    const page = new Page();
    const centred = (name: string, y: number, w: number) => page.add(name, box(250 - w / 2, y, w));
    centred('shop', 40, 10 * H);
    centred('address', 40 + PITCH, 14 * H);
    const rows: string[] = ['shop', 'address'];
    for (let i = 0; i < 8; i++) {
      const y = 40 + (i + 2) * PITCH;
      const w = amountWidth(i);
      page.add(`label${i}`, box(40, y, (3 + (i % 4) * 2) * H)).add(`amount${i}`, box(460 - w, y, w));
      rows.push(`label${i} amount${i}`);
    }
    centred('thanks', 40 + 10 * PITCH, 8 * H);
    rows.push('thanks');
    expect(page.read().replaceAll('| ', '')).toBe(rows.join(' / '));
  });

  it('reads label: value pairs of a form row by row', () => {
    const page = new Page();
    const rows: string[] = [];
    for (let i = 0; i < 5; i++) {
      const y = 100 + i * PITCH;
      page.add(`key${i}`, box(100, y, (2.5 + (i % 3)) * H)).add(`value${i}`, box(100 + 7 * H, y, (6 + i) * H));
      rows.push(`key${i} value${i}`);
    }
    expect(page.read()).toBe(rows.join(' / '));
  });

  it('orders nothing and one box trivially', () => {
    expect(readingOrder([])).toEqual({ rows: [], blocks: [] });
    expect(readingOrder([box(0, 0, 50)])).toEqual({ rows: [[0]], blocks: [0] });
  });
});
