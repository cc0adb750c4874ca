import { describe, expect, it } from 'vitest';
import type { Quad } from '../core/types.js';
import { RETRY_PASSES, Tally, believable, overlaps, planRetries, quadToBox, type Candidate } from './cascade.js';

const Q = (x: number, y: number, w: number, h: number): Quad => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
const hit = (text: string, lineCount: number | null, quad = Q(10, 10, 100, 40), extra: Partial<Candidate> = {}): Candidate => ({
  format: 'EAN_13', text, symbologyId: ']E0', lineCount, quad, ...extra,
});

describe('believable', () => {
  it.each([
    ['QR_CODE', null, 1, true],
    ['CODE_128', 1, 1, true],
    ['EAN_13', 5, 1, true],
    ['EAN_13', 4, 1, false],
    ['EAN_13', 4, 2, true],
    ['UPC_E', 1, 1, false],
    ['UPC_A', null, 1, true],
  ] as const)('%s lines %s in %i pass(es) → %s', (format, lineCount, passes, ok) => {
    expect(believable({ format, lineCount }, passes)).toBe(ok);
  });
});

describe('Tally', () => {
  it('believes strong reads at once and weak ones after a second pass agrees', () => {
    const t = new Tally();
    t.add('base', [hit('4006381333931', 2)]);
    expect(t.accepted()).toEqual([]);
    t.add('up2', [hit('4006381333931', 1), hit('4006381333931', 3)]);
    expect(t.accepted().map((c) => [c.text, c.lineCount])).toEqual([['4006381333931', 3]]);
  });

  it('counts duplicates within one pass once', () => {
    const t = new Tally();
    t.add('base', [hit('4006381333931', 2), hit('4006381333931', 2)]);
    expect(t.accepted()).toEqual([]);
  });

  it('keeps first-seen order and every believable code', () => {
    const t = new Tally();
    t.add('base', [hit('A', null, Q(0, 0, 10, 10), { format: 'QR_CODE' }), hit('4006381333931', 9, Q(200, 200, 50, 20))]);
    expect(t.accepted().map((c) => c.text)).toEqual(['A', '4006381333931']);
  });

  it('drops a read contested by a different text read on as many lines over the same place', () => {
    const t = new Tally();
    t.add('base', [hit('9074932437075', 7), hit('8172731778476', 7, Q(20, 12, 90, 30), { checksumError: true })]);
    expect(t.accepted()).toEqual([]);
    // A dominant read (more than twice the lines of any rival) stands.
    const u = new Tally();
    u.add('base', [hit('5030159003930', 8), hit('7034759003930', 3, Q(0, 10, 80, 40))]);
    expect(u.accepted().map((c) => c.text)).toEqual(['5030159003930']);
    // A rival elsewhere does not contest.
    const v = new Tally();
    v.add('base', [hit('5030159003930', 8), hit('1920081045006', 59, Q(400, 300, 100, 40))]);
    expect(v.accepted().map((c) => c.text)).toEqual(['5030159003930', '1920081045006']);
  });

  it('reports a wrong-check-digit EAN only when read strongly twice with nothing else there', () => {
    const bad = (lines: number) => hit('4006381333932', lines, Q(10, 10, 100, 40), { checksumError: true });
    const t = new Tally();
    t.add('base', [bad(40)]);
    expect(t.accepted()).toEqual([]);
    expect(t.final()).toEqual([]);
    t.add('up2', [bad(60)]);
    expect(t.final().map((c) => [c.text, c.checksumError])).toEqual([['4006381333932', true]]);
    t.add('sharpen', [hit('4006381333931', 1)]);
    expect(t.final()).toEqual([]);
  });

  it('never reports a UPC-E with a wrong check digit (left halves of EAN-13 read that way)', () => {
    const t = new Tally();
    const e = hit('17848729', 6, Q(10, 10, 60, 40), { format: 'UPC_E', checksumError: true });
    t.add('a', [e]);
    t.add('b', [e]);
    expect(t.final()).toEqual([]);
    expect(t.all()[0].passes).toEqual(['a', 'b']);
  });
});

describe('planRetries', () => {
  it('runs every pass on a small image', () => {
    expect(planRetries(240 * 240, 4_000_000, 16_000_000)).toEqual(RETRY_PASSES);
  });

  it('skips enlarging passes that would exceed the raster cap', () => {
    const names = planRetries(2_000_000, 4_000_000, 100_000_000).map((p) => p.name);
    expect(names).not.toContain('up2-sharpen3');
    expect(names).toContain('xup2');
    expect(names).toContain('sharpen2');
  });

  it('stops when the pixel budget is spent', () => {
    const plan = planRetries(1_000_000, 4_000_000, 8_500_000);
    expect(plan.map((p) => p.name)).toEqual(['up2-sharpen3', 'up2-sharpen2']);
    expect(planRetries(1_000_000, 4_000_000, 0)).toEqual([]);
  });
});

describe('geometry', () => {
  it('quadToBox rounds outwards and clips to the image', () => {
    expect(quadToBox([[10.4, 5.6], [50.2, 5], [50.9, 20.1], [10, 20]], 100, 100)).toEqual([10, 5, 41, 16]);
    expect(quadToBox([[-3, -2], [120, -2], [120, 80], [-3, 80]], 100, 50)).toEqual([0, 0, 100, 50]);
  });

  it('overlaps treats scan-line quads (zero height) as touching within 2 px', () => {
    expect(overlaps(Q(0, 0, 10, 0), Q(0, 1, 10, 0))).toBe(true);
    expect(overlaps(Q(0, 0, 10, 10), Q(20, 0, 10, 10))).toBe(false);
  });
});
