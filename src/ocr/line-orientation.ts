/**
 * Which way up one text line is (0° or 180°), settled once from every piece of evidence at hand: the angle
 * classifier's vote, the page's other lines, each engine's confidence when it read the line both ways, and how
 * plausible each reading looks as text. Upside-down print read as if upright gives either sparse, unsure output
 * (PP-OCR) or confident-looking letter soup with mixed case, digits and brackets inside words (Tesseract:
 * "sydesn ui buiyojey", "A[ayIjun"); each signal alone errs on some lines, their sum does not on the ones measured.
 *
 * Pure: no I/O. `turn` is relative to the crop as given (0 = keep, 180 = turn it).
 */

import type { LineReading, OrientationDecision, OrientationEvidence, SettledOrientation, Turn, TurnReading } from '../core/orientation.js';

export type { LineReading, OrientationDecision, OrientationEvidence, SettledOrientation, Turn, TurnReading };

/** Weight of the classifier's vote ((2·p180 − 1) · weight): the small model errs on short and faint lines. */
export const CLASSIFIER_WEIGHT = 1;
/** Weight of the page's other lines. */
export const PAGE_WEIGHT = 1;
/**
 * Per engine: [weight, confidence gap that counts fully]. PP-OCR's mean confidence drops from ≥ 0.93 to ≤ 0.75
 * on upside-down Latin print (UW-III lines), Tesseract's from ≥ 0.77 to ≤ 0.64; a gap of that size is decisive.
 */
export const ENGINE_WEIGHTS: Readonly<Record<string, readonly [weight: number, gap: number]>> = {
  paddle: [2, 0.15],
  tesseract: [1.5, 0.25],
};
const OTHER_ENGINE: readonly [number, number] = [1, 0.25];
/** Weight of the plausibility gap between the readings of the two turns, and the gap that counts fully. */
export const PLAUSIBILITY_WEIGHT = 1.5;
const PLAUSIBILITY_GAP = 0.3;
/** Evidence at least this large may overrule a reading made the other way up. */
export const STRONG_MARGIN = 2;

const clamp1 = (x: number): number => Math.max(-1, Math.min(1, x));

/** A token a printed line can hold: a word in one case pattern, a number, or short punctuation, each optionally wrapped in punctuation. */
const OPEN = String.raw`[("'“‘\[{¿¡*#]*`;
const CLOSE = String.raw`[)"'”’\]}.,:;!?%*]*`;
/** A single letter other than the one-letter words and initials ("a", "I", "A.", "J."), alone as a token. */
const LONE_LETTER = /^[^\p{L}]*(?![aAI][^\p{L}]*$)\p{Ll}[^\p{L}]*$/u;
/** Words of caseless scripts (Bengali: letters, vowel signs, virama), which have no case pattern to follow. */
const CASELESS = String.raw`[\p{Lo}\p{M}]+`;
const WORD = String.raw`(?:\p{Lu}?\p{Ll}+|\p{Lu}+|\p{Lu}\.?)(?:[-'’/&.](?:\p{Lu}?\p{Ll}+|\p{Lu}+))*`;
const NUMBER = String.raw`[-+]?[$€£৳]?\d+(?:[.,:/'-]\d+)*(?:[-/.,]|/-|\p{Lu}{1,2}|\p{Ll}{1,2})?`;
/** A code of capitals and digits: "F.2.2", "INV-2026-0042", "A4" (mixed with lower case it is soup: "1oj", "wWa[qold"). */
const CODE = String.raw`(?=[\p{Lu}\d.\-/]*\d)[\p{Lu}\d]+(?:[-./][\p{Lu}\d]+)*`;
const WELL_FORMED = new RegExp(String.raw`^${OPEN}(?:${WORD}|${NUMBER}|${CODE}|[-–—&+=/|•·]{1,3}|${CASELESS})${CLOSE}$`, 'u');

/**
 * How plausible a reading is as printed text (0..1): the share of its characters that sit in well-formed tokens
 * (words in one case pattern — lower, Capitalised or UPPER —, numbers, short punctuation; not a lone lower-case
 * letter). Readings of upside-down print fail on mixed case, digits and brackets inside words and on scattered
 * single letters; an empty reading scores 0.
 * @example textPlausibility('Efficient Algorithms for Graphs') // 1
 * @example textPlausibility('3] "sydeid (awuediq Jo [erauad') // well under 0.5
 */
export function textPlausibility(text: string): number {
  const tokens = text.normalize('NFC').split(/\s+/).filter(Boolean);
  let good = 0;
  let all = 0;
  for (const t of tokens) {
    all += t.length;
    // A lone letter is rare in print ("a", "I", "&" and initials aside) and common in readings of upside-down lines.
    if (WELL_FORMED.test(t) && !LONE_LETTER.test(t)) good += t.length;
  }
  return all ? good / all : 0;
}

/** Signed evidence for 180° (> 0) over 0° (< 0). */
export function orientationScore(e: OrientationEvidence): number {
  let s = 0;
  if (e.p180 !== undefined && Number.isFinite(e.p180)) s += CLASSIFIER_WEIGHT * (2 * e.p180 - 1);
  if (e.page) s += PAGE_WEIGHT * clamp1(e.page);
  const byEngine = new Map<string, Partial<Record<Turn, TurnReading>>>();
  for (const r of e.readings) {
    const m = byEngine.get(r.engine) ?? {};
    m[r.turn] = r;
    byEngine.set(r.engine, m);
  }
  // Plausibility per turn: the most plausible reading any engine made that way up.
  const plaus: Record<Turn, number | null> = { 0: null, 180: null };
  for (const [engine, m] of byEngine) {
    const up = m[0];
    const down = m[180];
    for (const r of [up, down]) {
      if (r) plaus[r.turn] = Math.max(plaus[r.turn] ?? 0, textPlausibility(r.text) * Math.min(1, r.text.replace(/\s/g, '').length / 4));
    }
    if (!up || !down) continue;
    const [w, gap] = ENGINE_WEIGHTS[engine] ?? OTHER_ENGINE;
    s += w * clamp1((down.confidence - up.confidence) / gap);
  }
  if (plaus[0] !== null && plaus[180] !== null) s += PLAUSIBILITY_WEIGHT * clamp1((plaus[180] - plaus[0]) / PLAUSIBILITY_GAP);
  return s;
}

/**
 * The line's orientation from all evidence. Without evidence either way the crop stays as given.
 */
export function decideOrientation(e: OrientationEvidence): OrientationDecision {
  const s = orientationScore(e);
  const turn: Turn = s > 0 ? 180 : 0;
  const margin = Math.abs(s);
  return { turn, margin: Math.round(margin * 1000) / 1000, strong: margin >= STRONG_MARGIN };
}

/**
 * Whether a reading made at `candidate` turn may replace one made at `current` turn: always when the turns agree;
 * across turns only when the evidence for `candidate` is strong.
 */
export function mayReplace(current: Turn, candidate: Turn, decision: OrientationDecision): boolean {
  if (current === candidate) return true;
  return decision.turn === candidate && decision.strong;
}

/** The evidence as seen from the crop turned by 180°. */
export function turnEvidence(e: OrientationEvidence): OrientationEvidence {
  return {
    ...(e.p180 !== undefined ? { p180: 1 - e.p180 } : {}),
    ...(e.page ? { page: -e.page } : {}),
    readings: e.readings.map((r) => ({ ...r, turn: r.turn === 0 ? 180 : 0 })),
  };
}

/**
 * Settles a line one engine read both ways (`asGiven` on the crop as given, `turned` on it turned by 180°): which
 * reading to keep, and the evidence re-expressed relative to the kept one (so a later re-read can add to it).
 */
export function settleBothWays<R extends LineReading>(
  engine: string,
  asGiven: R,
  turned: R,
  prior: Pick<OrientationEvidence, 'p180' | 'page'>,
): { keepTurned: boolean; kept: R; orientation: SettledOrientation } {
  const evidence: OrientationEvidence = {
    ...prior,
    readings: [
      { engine, turn: 0, text: asGiven.text, confidence: asGiven.confidence },
      { engine, turn: 180, text: turned.text, confidence: turned.confidence },
    ],
  };
  const decision = decideOrientation(evidence);
  const keepTurned = decision.turn === 180;
  const strip = (r: R): LineReading => ({ text: r.text, confidence: r.confidence, ...(r.charConfidences ? { charConfidences: r.charConfidences } : {}) });
  return {
    keepTurned,
    kept: keepTurned ? turned : asGiven,
    orientation: {
      evidence: keepTurned ? turnEvidence(evidence) : evidence,
      decision: { ...decision, turn: 0 },
      other: strip(keepTurned ? asGiven : turned),
    },
  };
}

/**
 * Re-reads a line with another engine without letting it undo the line's orientation: `read(0)` reads the line as
 * kept, and when `bothWays(first)` says so also `read(180)`; both readings join the evidence the first engine left
 * (`own.orientation`). The turned reading wins only when the combined evidence is strong — or when the first
 * engine read nothing (it only found the box), so there is no reading to overrule.
 * @returns the turn, the re-read at that turn, and the first engine's reading at that turn (null if it has none)
 */
export async function rereadSettled(
  own: LineReading & { orientation?: SettledOrientation },
  engine: string,
  read: (turn: Turn) => Promise<LineReading>,
  bothWays: (first: LineReading) => boolean,
): Promise<{ turn: Turn; reading: LineReading; own: LineReading | null; decision: OrientationDecision }> {
  const prior = own.orientation?.evidence ?? { readings: [] };
  const first = await read(0);
  const add = (r: LineReading, turn: Turn): TurnReading => ({ engine, turn, text: r.text, confidence: r.confidence });
  if (!bothWays(first)) {
    return { turn: 0, reading: first, own, decision: decideOrientation({ ...prior, readings: [...prior.readings, add(first, 0)] }) };
  }
  const turned = await read(180);
  const decision = decideOrientation({ ...prior, readings: [...prior.readings, add(first, 0), add(turned, 180)] });
  const nothingToOverrule = own.text.trim() === '';
  const turn: Turn = decision.turn === 180 && (nothingToOverrule || mayReplace(0, 180, decision)) ? 180 : 0;
  return turn === 180
    ? { turn, reading: turned, own: own.orientation?.other ?? null, decision }
    : { turn, reading: first, own, decision };
}
