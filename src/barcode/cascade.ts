/**
 * The retry plan and the vote that decides which decodes to believe. Pure: no decoder, no I/O.
 *
 * First pass: the page as it is (decoder's own try-harder on). Only when it yields nothing believable do the
 * retry passes run, in order, until one does: enlarged + sharpened copies (blurred and small codes),
 * contrast stretch, other binarizers. The order and the set come from measuring each pass alone and in
 * sequence on the zxing blackbox photos (bench/barcodes.mjs); every pass earns its place there.
 *
 * Belief: EAN/UPC check digits catch only one wrong digit in ten misreads, so a retail code read on fewer
 * than `STRONG_LINE_COUNT` agreeing scan lines must be read again by a second, different pass before it is
 * reported. Other symbologies carry stronger checks (Reed-Solomon, mod-103/43) and count at once.
 */
import { boxOfQuad, clipBox } from '../core/geometry.js';
import type { BarcodeFormat, Box, Quad } from '../core/types.js';
import type { Binarizer } from './decoder.js';

/** Scan lines that must agree for a single EAN/UPC read to count without a second pass confirming it. */
export const STRONG_LINE_COUNT = 5;
/** Distinct passes that must agree on a weak EAN/UPC read. */
export const CONFIRMING_PASSES = 2;

const RETAIL: ReadonlySet<BarcodeFormat> = new Set<BarcodeFormat>(['EAN_13', 'EAN_8', 'UPC_A', 'UPC_E']);

/** How a pass's raster is made from the working image. */
export type VariantKind =
  | 'orig' | 'up' | 'up15' | 'xup' | 'sharpen1' | 'sharpen2' | 'sharpen3' | 'upSharpen2' | 'upSharpen3' | 'stretch';

export interface PassSpec {
  name: string;
  variant: VariantKind;
  binarizer: Binarizer;
  minLineCount: number;
  /** Let the decoder also try the raster turned 90/180/270° (default true). */
  tryRotate?: boolean;
}

/**
 * The retry passes, in the order they run. Retries accept single-scan-line linear reads (`minLineCount` 1):
 * such reads are weak, so the vote below wants a second pass to agree before believing them.
 */
export const RETRY_PASSES: readonly PassSpec[] = [
  { name: 'up2-sharpen3', variant: 'upSharpen3', binarizer: 'local', minLineCount: 1 },
  { name: 'up2-sharpen2', variant: 'upSharpen2', binarizer: 'local', minLineCount: 1 },
  { name: 'sharpen2', variant: 'sharpen2', binarizer: 'local', minLineCount: 1 },
  { name: 'up2', variant: 'up', binarizer: 'local', minLineCount: 1 },
  { name: 'up1.5', variant: 'up15', binarizer: 'local', minLineCount: 1 },
  { name: 'stretch', variant: 'stretch', binarizer: 'local', minLineCount: 1 },
  { name: 'sharpen1', variant: 'sharpen1', binarizer: 'local', minLineCount: 1 },
  { name: 'xup2', variant: 'xup', binarizer: 'local', minLineCount: 1 },
  { name: 'global', variant: 'orig', binarizer: 'global', minLineCount: 2 },
  { name: 'up2-sharpen3-global', variant: 'upSharpen3', binarizer: 'global', minLineCount: 2 },
  { name: 'sharpen3', variant: 'sharpen3', binarizer: 'local', minLineCount: 1 },
  { name: 'up2-global', variant: 'up', binarizer: 'global', minLineCount: 2 },
];

/** Variants that enlarge the image, and by how much (area factor), for the pixel budget. */
export const AREA_FACTOR: Record<VariantKind, number> = {
  orig: 1, up: 4, up15: 2.25, xup: 2, sharpen1: 1, sharpen2: 1, sharpen3: 1, upSharpen2: 4, upSharpen3: 4, stretch: 1,
};

/**
 * The retry passes that fit: enlarging passes only while the enlarged raster stays within `maxPassPixels`,
 * and all of them together within `budgetPixels` (decoding time grows with pixels). Pure.
 */
export function planRetries(workPixels: number, maxPassPixels: number, budgetPixels: number, passes: readonly PassSpec[] = RETRY_PASSES): PassSpec[] {
  const out: PassSpec[] = [];
  let spent = 0;
  for (const p of passes) {
    const px = workPixels * AREA_FACTOR[p.variant];
    if (px > maxPassPixels) continue;
    if (spent + px > budgetPixels) break;
    spent += px;
    out.push(p);
  }
  return out;
}

/** A decode mapped to source-image coordinates. */
export interface Candidate {
  format: BarcodeFormat;
  text: string;
  symbologyId: string;
  lineCount: number | null;
  quad: Quad;
  /** EAN/UPC read whose check digit fails. */
  checksumError?: boolean;
}

interface Entry {
  c: Candidate;
  passes: Set<string>;
  order: number;
}

/**
 * Collects decodes across passes and says which to believe (see the module comment).
 * Accepted codes come out in the order they were first seen.
 */
export class Tally {
  private readonly entries = new Map<string, Entry>();
  private seen = 0;

  /** Adds one pass's decodes (duplicates within a pass count once; the strongest read keeps its box). */
  add(pass: string, hits: readonly Candidate[]): void {
    for (const h of hits) {
      const key = `${h.format}\u0000${h.text}\u0000${h.checksumError ? 'x' : ''}`;
      const e = this.entries.get(key);
      if (!e) {
        this.entries.set(key, { c: h, passes: new Set([pass]), order: this.seen++ });
        continue;
      }
      e.passes.add(pass);
      if ((h.lineCount ?? 0) > (e.c.lineCount ?? 0)) e.c = h;
    }
  }

  /** The believable codes with a correct check digit so far (what stops the retries). */
  accepted(): Candidate[] {
    const all = this.sorted();
    return all.filter((e) => !e.c.checksumError && believable(e.c, e.passes.size) && !contested(e, all)).map((e) => e.c);
  }

  /**
   * The final answer: the accepted codes, plus EAN-13/EAN-8/UPC-A reads with a wrong check digit that look
   * like a misprinted label rather than a misread: read on many scan lines, the same text in two passes, and
   * nothing else read over the same place (blur misreads scatter into several different texts there).
   * UPC-E is left out: its check digit lives in the digit parities, and the left half of an EAN-13 reads as
   * a "UPC-E with a wrong check digit" — a systematic misread, not a label error.
   */
  final(): Candidate[] {
    const all = this.sorted();
    return all
      .filter((e) => {
        if (!e.c.checksumError) return believable(e.c, e.passes.size) && !contested(e, all);
        if (e.c.format === 'UPC_E') return false;
        const strong = (e.c.lineCount ?? 0) >= STRONG_LINE_COUNT && e.passes.size >= CONFIRMING_PASSES;
        return strong && !all.some((o) => o !== e && overlaps(o.c.quad, e.c.quad));
      })
      .map((e) => e.c);
  }

  /** Every code seen, believable or not (for diagnostics and the benchmark). */
  all(): Array<Candidate & { passes: string[] }> {
    return this.sorted().map((e) => ({ ...e.c, passes: [...e.passes] }));
  }

  private sorted(): Entry[] {
    return [...this.entries.values()].sort((a, b) => a.order - b.order);
  }
}

/**
 * An EAN/UPC read is contested when, over the same place, a different EAN/UPC text (check digit right or
 * wrong) was read on more than 1/DOMINANCE as many scan lines: blurred or mirror-like bars make the decoder
 * scatter into many texts there, and one of them passing the check digit by chance (1 in 10) is no reason
 * to believe it.
 */
function contested(e: Entry, all: readonly Entry[]): boolean {
  if (!RETAIL.has(e.c.format)) return false;
  const lines = e.c.lineCount ?? Number.POSITIVE_INFINITY;
  return all.some(
    (o) => o !== e && RETAIL.has(o.c.format) && o.c.text !== e.c.text && (o.c.lineCount ?? 0) * DOMINANCE > lines && overlaps(o.c.quad, e.c.quad),
  );
}

/** How many times more scan lines a read needs than any contradicting read over the same place. */
export const DOMINANCE = 2;

/** A decode counts when it is not EAN/UPC, or read on enough scan lines, or confirmed by another pass. */
export function believable(c: Pick<Candidate, 'format' | 'lineCount'>, passes: number): boolean {
  if (!RETAIL.has(c.format)) return true;
  if (c.lineCount === null || c.lineCount >= STRONG_LINE_COUNT) return true;
  return passes >= CONFIRMING_PASSES;
}

/** Whether two quads' bounding boxes intersect (a linear read's quad may be a line: widened by 2 px). */
export function overlaps(a: Quad, b: Quad): boolean {
  const ax = a.map((p) => p[0]);
  const ay = a.map((p) => p[1]);
  const bx = b.map((p) => p[0]);
  const by = b.map((p) => p[1]);
  const pad = 2;
  return (
    Math.min(...ax) - pad <= Math.max(...bx) && Math.min(...bx) - pad <= Math.max(...ax) &&
    Math.min(...ay) - pad <= Math.max(...by) && Math.min(...by) - pad <= Math.max(...ay)
  );
}

/** Axis-aligned box (original pixels, rounded, clipped to the image) around a quad. */
export function quadToBox(q: Quad, width: number, height: number): Box {
  return clipBox(boxOfQuad(q), width, height);
}
