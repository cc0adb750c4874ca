import { describe, expect, it } from 'vitest';
import {
  STRONG_MARGIN, type OrientationEvidence, type TurnReading, decideOrientation, mayReplace, rereadSettled, settleBothWays,
  textPlausibility, turnEvidence,
} from './line-orientation.js';

const r = (engine: string, turn: 0 | 180, text: string, confidence: number): TurnReading => ({ engine, turn, text, confidence });

describe('textPlausibility', () => {
  // Readings of UW-III lines by PP-OCR and Tesseract, upright and of the same print turned by 180°.
  it.each([
    ['Efficient Algorithms for Finding Maximum Matching in Graphs', 1],
    ['F.2.2 [Analysis of Algorithms and Problem Complexity]', 1],
    ['TOTAL RM 29.70', 1],
    ['Tk 1,250.00 (incl. VAT 15%)', 1],
    ['INV-2026-0042 A4 E8318', 1],
    ['আমার সোনার বাংলা', 1],
    ['ZVI GALIL', 1],
    ['', 0],
  ])('%j reads as text (%d)', (text, p) => {
    expect(textPlausibility(text)).toBeCloseTo(p, 2);
  });

  it.each([
    ':8101d1I0s3(] 109[Qng pue sati',
    "uonBdJUIAA ‘A103Y], ‘swyiuod|y",
    'JBYlouY SANOUINSIP',
    'nx y y soi e',
    "s n t s se 'o t",
  ])('%j is soup (under 0.7)', (text) => {
    expect(textPlausibility(text)).toBeLessThan(0.7);
  });
});

describe('decideOrientation', () => {
  const up = 'Categories and Subject Descriptors:';
  const soup = ':8101d1I0s3(] 109[Qng pue sati';
  it.each<[string, OrientationEvidence, 0 | 180, boolean]>([
    ['no evidence keeps the crop', { readings: [] }, 0, false],
    ['PP-OCR both ways, classifier agrees', { p180: 0.01, readings: [r('paddle', 0, up, 0.99), r('paddle', 180, 'Sdrsa aene pe soe', 0.37)] }, 0, true],
    // The classifier is sure and wrong; the readings outvote it.
    ['a sure but wrong classifier is outvoted', { p180: 0.99, readings: [r('paddle', 0, up, 0.99), r('paddle', 180, 'Sdrsa aene pe soe', 0.37)] }, 0, false],
    ['upside-down print: turn it', { p180: 0.98, readings: [r('paddle', 0, 'nx y y soi e', 0.51), r('paddle', 180, 'Efficient Algorithms', 0.99)] }, 180, true],
    // Tesseract's confident letter soup from an upside-down crop loses to its own upright reading and to plausibility.
    ['Tesseract both ways', { readings: [r('tesseract', 0, soup, 0.62), r('tesseract', 180, up, 0.96)] }, 180, true],
    ['the classifier alone is not strong', { p180: 0.97, readings: [r('paddle', 0, up, 0.95)] }, 180, false],
    ['the page outweighs a weak classifier vote', { p180: 0.7, page: -1, readings: [r('paddle', 0, 'TOTAL 12.50', 0.9)] }, 0, false],
    ['equal readings: the page and classifier decide', { p180: 0.2, page: -1, readings: [r('paddle', 0, 'ABC', 0.8), r('paddle', 180, 'ABC', 0.8)] }, 0, false],
  ])('%s', (_name, e, turn, strong) => {
    const d = decideOrientation(e);
    expect(d.turn).toBe(turn);
    expect(d.strong).toBe(strong);
    expect(d.margin).toBeGreaterThanOrEqual(0);
  });

  it('is symmetric: the same evidence seen from the turned crop gives the other turn', () => {
    const e: OrientationEvidence = { p180: 0.3, page: 0.5, readings: [r('paddle', 0, 'Efficient', 0.97), r('paddle', 180, 'ʇuǝ', 0.4)] };
    const a = decideOrientation(e);
    const b = decideOrientation(turnEvidence(e));
    expect(b.turn).toBe(a.turn === 0 ? 180 : 0);
    expect(b.margin).toBeCloseTo(a.margin, 6);
  });
});

describe('mayReplace', () => {
  it.each([
    [0, 0, { turn: 180, margin: 0.1, strong: false }, true],
    [0, 180, { turn: 180, margin: 0.1, strong: false }, false],
    [0, 180, { turn: 180, margin: STRONG_MARGIN, strong: true }, true],
    [0, 180, { turn: 0, margin: 3, strong: true }, false],
  ] as const)('%d → %d with %j: %s', (cur, cand, d, ok) => {
    expect(mayReplace(cur, cand, d)).toBe(ok);
  });
});

describe('settleBothWays', () => {
  it('keeps the turned reading when the evidence says so, with the evidence re-expressed from it', () => {
    const s = settleBothWays('paddle', { text: 'nx y y soi e', confidence: 0.5 }, { text: 'Efficient Algorithms', confidence: 0.99, charConfidences: [1] }, { p180: 0.9 });
    expect(s.keepTurned).toBe(true);
    expect(s.kept.text).toBe('Efficient Algorithms');
    expect(s.orientation.other?.text).toBe('nx y y soi e');
    expect(s.orientation.evidence.p180).toBeCloseTo(0.1, 6);
    expect(s.orientation.evidence.readings.find((x) => x.turn === 0)?.text).toBe('Efficient Algorithms');
    expect(decideOrientation(s.orientation.evidence).turn).toBe(0);
  });
});

describe('rereadSettled', () => {
  const settled = settleBothWays('paddle', { text: 'Categories and Subject', confidence: 0.97 }, { text: 'Sdrsa aene', confidence: 0.45 }, { p180: 0.2 });
  const own = { ...settled.kept, orientation: settled.orientation };
  const reader = (byTurn: Record<number, { text: string; confidence: number }>) => {
    const calls: number[] = [];
    return { calls, read: async (t: 0 | 180) => { calls.push(t); return byTurn[t]; } };
  };

  it('reads only the settled way when not asked for both', async () => {
    const f = reader({ 0: { text: 'Categories and Subject', confidence: 0.9 }, 180: { text: 'x', confidence: 0.99 } });
    const out = await rereadSettled(own, 'tesseract', f.read, () => false);
    expect(f.calls).toEqual([0]);
    expect(out.turn).toBe(0);
    expect(out.own?.text).toBe('Categories and Subject');
  });

  it('a confident re-read of the other turn cannot overrule settled evidence', async () => {
    // Tesseract is surer of its upside-down letter soup than of the upright line: the sum still says upright.
    const f = reader({ 0: { text: 'Categories and Subject', confidence: 0.55 }, 180: { text: 'SasBIYd pue SPIOAA', confidence: 0.8 } });
    const out = await rereadSettled(own, 'tesseract', f.read, () => true);
    expect(f.calls).toEqual([0, 180]);
    expect(out.turn).toBe(0);
    expect(out.reading.text).toBe('Categories and Subject');
  });

  it('turns when the combined evidence is strong, and returns the first engine\'s reading of that turn', async () => {
    const weak = settleBothWays('paddle', { text: 'a e', confidence: 0.6 }, { text: 'ab c', confidence: 0.62 }, {});
    const f = reader({ 0: { text: ':8101d1I0s3(] 109[Qng', confidence: 0.1 }, 180: { text: 'Categories and Subject', confidence: 0.96 } });
    const out = await rereadSettled({ ...weak.kept, orientation: weak.orientation }, 'tesseract', f.read, () => true);
    expect(out.turn).toBe(180);
    expect(out.decision.strong).toBe(true);
    expect(out.own?.text).toBe(weak.orientation.other?.text);
  });

  it('with no first reading (Bengali boxes), the re-reads alone decide', async () => {
    const f = reader({ 0: { text: '্াে ি', confidence: 0.3 }, 180: { text: 'আমার সোনার বাংলা', confidence: 0.45 } });
    const out = await rereadSettled({ text: '', confidence: 0 }, 'tesseract', f.read, (first) => first.confidence < 0.5);
    expect(out.turn).toBe(180);
    expect(out.own).toBeNull();
  });
});
