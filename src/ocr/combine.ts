/**
 * Two engines' readings of the same line, combined character by character: the readings are aligned (edit
 * distance), and where they disagree on a stretch of text the other engine's stretch replaces the base's only when
 * it is clearly surer of it. Engines slip on different characters (PP-OCR: "Iine" for "line", a space inside
 * "algorit hm"; Tesseract: "efficient" for "Efficient", "rn" for "m"), so the combination can beat both.
 *
 * Pure: no I/O.
 */

export interface CharReading {
  text: string;
  confidence: number;
  /** One confidence per UTF-16 unit of `text`. */
  charConfidences?: number[];
}

/**
 * How much surer (in character confidence) the other engine must be to replace a stretch of the base reading.
 * Set on the development half of UW-III lines (0.02: 1 error in 951 characters, 0.05: 3); see bench/RESULTS.md.
 */
export const REPLACE_MARGIN = 0.02;

export interface CombineOptions {
  /** See {@link REPLACE_MARGIN}. */
  margin?: number;
  /**
   * Whose word spaces to keep where only one reading has a space: 'base' (default) or 'other'. PP-OCR's Latin
   * spaces are inferred from a threshold on gaps (ctc.ts) and split words ("algorit hm"); Tesseract segments words.
   */
  spaces?: 'base' | 'other';
}

/** Least confidence for a final closing mark read by the other engine alone to be added. */
export const FINAL_MARK_CONFIDENCE = 0.9;

/** Longest line aligned (the alignment is quadratic); longer pairs are not combined. */
const MAX_ALIGN = 600;

type Op = readonly [a: number | null, b: number | null];

/** Edit-distance alignment of a and b: pairs of indexes (null = gap), in text order. */
export function alignChars(a: string, b: string): Op[] {
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  const d = new Uint32Array((n + 1) * w);
  for (let i = 0; i <= n; i++) d[i * w] = i;
  for (let j = 0; j <= m; j++) d[j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const sub = d[(i - 1) * w + j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      d[i * w + j] = Math.min(sub, d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1);
    }
  }
  const ops: Op[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && d[i * w + j] === d[(i - 1) * w + j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)) {
      ops.push([--i, --j]);
    } else if (i > 0 && d[i * w + j] === d[(i - 1) * w + j] + 1) {
      ops.push([--i, null]);
    } else {
      ops.push([null, --j]);
    }
  }
  return ops.reverse();
}

const minOf = (xs: number[]): number => (xs.length ? Math.min(...xs) : 1);

/**
 * The base reading with the other's stretches where the other is surer by {@link REPLACE_MARGIN} and both
 * engines read something there. Where only one engine read characters (a stray mark), the base decides — except a
 * closing mark at the very end of the line that the other read surely ({@link FINAL_MARK_CONFIDENCE}); where
 * only one read a space, `spaces` does. Returns the base unchanged when either reading lacks character confidences.
 */
export function combineReadings(base: CharReading, other: CharReading, opts: CombineOptions = {}): CharReading {
  const margin = opts.margin ?? REPLACE_MARGIN;
  const bc = base.charConfidences;
  const oc = other.charConfidences;
  if (!bc || !oc || bc.length !== base.text.length || oc.length !== other.text.length) return base;
  if (base.text === other.text || base.text.length * other.text.length > MAX_ALIGN * MAX_ALIGN / 4) return base;
  const ops = alignChars(base.text, other.text);
  let text = '';
  const chars: number[] = [];
  let k = 0;
  const same = (op: Op) => op[0] !== null && op[1] !== null && base.text[op[0]] === other.text[op[1]];
  while (k < ops.length) {
    if (same(ops[k])) {
      const [i] = ops[k++] as [number, number];
      text += base.text[i];
      chars.push(bc[i]);
      continue;
    }
    const start = k;
    while (k < ops.length && !same(ops[k])) k++;
    const bi = ops.slice(start, k).flatMap(([a]) => (a === null ? [] : [a]));
    const oi = ops.slice(start, k).flatMap(([, b]) => (b === null ? [] : [b]));
    const blank = (t: string, idx: number[]) => idx.every((x) => /\s/.test(t[x]));
    const spaceOnly = (bi.length === 0 && blank(other.text, oi)) || (oi.length === 0 && blank(base.text, bi));
    // A closing mark only the other engine read at the end of the line (CTC readers drop a final "." or ",").
    const finalMark = k === ops.length && bi.length === 0 && oi.length > 0 && /^[.,;:!?)\]]+$/u.test(oi.map((x) => other.text[x]).join(''))
      && minOf(oi.map((x) => oc[x])) >= FINAL_MARK_CONFIDENCE;
    const useOther = spaceOnly
      ? opts.spaces === 'other'
      : finalMark || (bi.length > 0 && oi.length > 0 && minOf(oi.map((x) => oc[x])) > minOf(bi.map((x) => bc[x])) + margin);
    const [src, idx, conf] = useOther ? [other.text, oi, oc] : [base.text, bi, bc];
    for (const x of idx) {
      text += src[x];
      chars.push(conf[x]);
    }
  }
  const confidence = chars.length ? chars.reduce((s, c) => s + c, 0) / chars.length : 0;
  return { text, confidence, charConfidences: chars };
}
