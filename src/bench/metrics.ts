/**
 * Text accuracy metrics shared by `zakocr bench` and every bench script: Levenshtein with an
 * alignment, CER and WER with their insertion/deletion/substitution counts, and micro-averaged
 * aggregates. Pure functions, no I/O.
 *
 * Units. CER counts extended grapheme clusters (what a reader sees as one character) after
 * Unicode NFC, like OCR-D's dinglehopper: a Bengali consonant with its vowel sign (কী) or a
 * conjunct (ক্ষ), an emoji ZWJ sequence (👨‍👩‍👧) and a base letter with combining marks are one unit
 * each, so one misread glyph costs one edit however many code points encode it. Pass
 * `unit: 'codepoint'` for the finer count that ocreval and jiwer report. Grapheme segmentation
 * comes from ICU (`Intl.Segmenter`); ICU 74+ (Node ≥ 20.10) applies the Unicode 15.1 Indic
 * conjunct rule that keeps ক্ষ together.
 *
 * Rates. An error rate is edits / reference length; it may exceed 1 when the hypothesis has
 * many insertions. With an empty reference the rate is 0 for an empty hypothesis, else 1.
 * Aggregates are micro averages: sum of edits / sum of reference lengths.
 *
 * Barcode, field and latency metrics live in their own files and are re-exported here so
 * that callers need one import.
 */

export * from './stats.js';
export * from './barcode-metrics.js';
export * from './field-metrics.js';

/** How texts are normalised before they are compared. Every option defaults to off (`unit`: grapheme). */
export interface TextCompareOptions {
  /** Compare lower-cased text (Unicode default case folding via `toLowerCase`). */
  foldCase?: boolean;
  /** Collapse runs of whitespace (incl. newlines) to one space and trim both ends. */
  foldWhitespace?: boolean;
  /** Remove punctuation (Unicode category P: . , ; " ( ) - and the Bengali danda ।). Symbols such as ৳ $ % stay. */
  foldPunctuation?: boolean;
  /** Unit of CER: extended grapheme clusters (default) or Unicode code points. */
  unit?: 'grapheme' | 'codepoint';
}

export type EditOpKind = 'equal' | 'insert' | 'delete' | 'substitute';

/** One step of an alignment from the reference to the hypothesis. */
export interface EditOp {
  op: EditOpKind;
  /** Reference token (absent for insertions). */
  ref?: string;
  /** Hypothesis token (absent for deletions). */
  hyp?: string;
}

/** Edit counts of one comparison or of a whole set; `rate` = edits / refLength (see module notes). */
export interface ErrorCounts {
  /** insertions + deletions + substitutions (the Levenshtein distance). */
  edits: number;
  insertions: number;
  deletions: number;
  substitutions: number;
  /** Tokens that matched. */
  hits: number;
  /** Reference length in tokens (graphemes, code points or words). */
  refLength: number;
  hypLength: number;
  rate: number;
}

export interface Alignment extends ErrorCounts {
  ops: EditOp[];
}

/**
 * Cells above which `align` refuses to build its backtrace matrix (one byte per cell):
 * 64 M cells ≈ 64 MB, i.e. two texts of 8000 tokens. Page texts are far shorter.
 */
export const MAX_ALIGNMENT_CELLS = 64 * 1024 * 1024;

const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });
const PUNCTUATION = /\p{P}/gu;
const WHITESPACE_RUN = /\s+/gu;

/** NFC plus the requested folds. Order: NFC → case → punctuation → whitespace → NFC. */
export function normalizeForCompare(text: string, opts: TextCompareOptions = {}): string {
  let s = text.normalize('NFC');
  if (opts.foldCase) s = s.toLowerCase();
  if (opts.foldPunctuation) s = s.replace(PUNCTUATION, '');
  if (opts.foldWhitespace) s = s.replace(WHITESPACE_RUN, ' ').trim();
  return s.normalize('NFC');
}

/** Extended grapheme clusters of an (already normalised) string. */
export function graphemes(text: string): string[] {
  const out: string[] = [];
  for (const seg of segmenter.segment(text)) out.push(seg.segment);
  return out;
}

/** Whitespace-separated words of an (already normalised) string. */
export function words(text: string): string[] {
  return text.split(WHITESPACE_RUN).filter((w) => w.length > 0);
}

/** Character tokens of `text` after normalisation, in the requested unit. */
export function charTokens(text: string, opts: TextCompareOptions = {}): string[] {
  const s = normalizeForCompare(text, opts);
  return opts.unit === 'codepoint' ? Array.from(s) : graphemes(s);
}

/** Interns tokens as small integers so the DP compares numbers, not strings. */
function intern(a: readonly string[], b: readonly string[]): [Uint32Array, Uint32Array] {
  const ids = new Map<string, number>();
  const map = (xs: readonly string[]): Uint32Array => {
    const out = new Uint32Array(xs.length);
    xs.forEach((x, i) => {
      let id = ids.get(x);
      if (id === undefined) {
        id = ids.size;
        ids.set(x, id);
      }
      out[i] = id;
    });
    return out;
  };
  return [map(a), map(b)];
}

/**
 * Levenshtein distance (unit costs) between two strings (compared by code point) or two token
 * sequences. O(n·m) time, O(min(n, m)) memory.
 */
export function levenshtein(a: string | readonly string[], b: string | readonly string[]): number {
  const [x, y] = intern(typeof a === 'string' ? Array.from(a) : a, typeof b === 'string' ? Array.from(b) : b);
  const [long, short] = x.length >= y.length ? [x, y] : [y, x];
  if (short.length === 0) return long.length;
  let prev = new Uint32Array(short.length + 1);
  let cur = new Uint32Array(short.length + 1);
  for (let j = 0; j <= short.length; j++) prev[j] = j;
  for (let i = 1; i <= long.length; i++) {
    cur[0] = i;
    const li = long[i - 1];
    for (let j = 1; j <= short.length; j++) {
      const sub = prev[j - 1]! + (li === short[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[short.length]!;
}

const FROM_DIAG = 1;
const FROM_UP = 2; // deletion: consume a reference token
const FROM_LEFT = 3; // insertion: consume a hypothesis token

/**
 * Optimal alignment of `hyp` against `ref` with unit costs. Among equally short alignments the
 * backtrace prefers match/substitution, then deletion, then insertion, so counts are deterministic.
 * @throws RangeError when ref.length × hyp.length exceeds {@link MAX_ALIGNMENT_CELLS}.
 */
export function align(ref: readonly string[], hyp: readonly string[]): Alignment {
  const n = ref.length;
  const m = hyp.length;
  const cells = (n + 1) * (m + 1);
  if (cells > MAX_ALIGNMENT_CELLS) {
    throw new RangeError(`Expected at most ${MAX_ALIGNMENT_CELLS} alignment cells, got ${n} × ${m} tokens`);
  }
  const [r, h] = intern(ref, hyp);
  const back = new Uint8Array(cells);
  let prev = new Uint32Array(m + 1);
  let cur = new Uint32Array(m + 1);
  for (let j = 0; j <= m; j++) {
    prev[j] = j;
    back[j] = FROM_LEFT;
  }
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    back[i * (m + 1)] = FROM_UP;
    const ri = r[i - 1];
    for (let j = 1; j <= m; j++) {
      const diag = prev[j - 1]! + (ri === h[j - 1] ? 0 : 1);
      const up = prev[j]! + 1;
      const left = cur[j - 1]! + 1;
      let best = diag;
      let from = FROM_DIAG;
      if (up < best) {
        best = up;
        from = FROM_UP;
      }
      if (left < best) {
        best = left;
        from = FROM_LEFT;
      }
      cur[j] = best;
      back[i * (m + 1) + j] = from;
    }
    [prev, cur] = [cur, prev];
  }
  const ops: EditOp[] = [];
  let ins = 0;
  let del = 0;
  let sub = 0;
  let hits = 0;
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const from = i === 0 ? FROM_LEFT : j === 0 ? FROM_UP : back[i * (m + 1) + j];
    if (from === FROM_DIAG) {
      const same = r[i - 1] === h[j - 1];
      ops.push({ op: same ? 'equal' : 'substitute', ref: ref[i - 1], hyp: hyp[j - 1] });
      if (same) hits++;
      else sub++;
      i--;
      j--;
    } else if (from === FROM_UP) {
      ops.push({ op: 'delete', ref: ref[i - 1] });
      del++;
      i--;
    } else {
      ops.push({ op: 'insert', hyp: hyp[j - 1] });
      ins++;
      j--;
    }
  }
  ops.reverse();
  const edits = ins + del + sub;
  return {
    ops,
    edits,
    insertions: ins,
    deletions: del,
    substitutions: sub,
    hits,
    refLength: n,
    hypLength: m,
    rate: errorRate(edits, n),
  };
}

/** edits / refLength; for an empty reference 0 when there are no edits, else 1. */
export function errorRate(edits: number, refLength: number): number {
  if (refLength === 0) return edits === 0 ? 0 : 1;
  return edits / refLength;
}

function counts(a: Alignment): ErrorCounts {
  const { ops: _ops, ...rest } = a;
  return rest;
}

/** Character-level alignment (with ops, for diffs) of `hyp` against `ref`. */
export function alignChars(hyp: string, ref: string, opts: TextCompareOptions = {}): Alignment {
  return align(charTokens(ref, opts), charTokens(hyp, opts));
}

/** Word-level alignment of `hyp` against `ref` (words split on whitespace after normalisation). */
export function alignWords(hyp: string, ref: string, opts: TextCompareOptions = {}): Alignment {
  return align(words(normalizeForCompare(ref, opts)), words(normalizeForCompare(hyp, opts)));
}

/** Character error counts (insertions, deletions, substitutions, rate) of `hyp` against `ref`. */
export function charErrors(hyp: string, ref: string, opts: TextCompareOptions = {}): ErrorCounts {
  return counts(alignChars(hyp, ref, opts));
}

/** Word error counts of `hyp` against `ref`. */
export function wordErrors(hyp: string, ref: string, opts: TextCompareOptions = {}): ErrorCounts {
  return counts(alignWords(hyp, ref, opts));
}

/**
 * Character error rate of `hyp` against `ref` (0 = perfect; see module notes for units).
 * @example cer('helo', 'hello') // 0.2
 */
export function cer(hyp: string, ref: string, opts: TextCompareOptions = {}): number {
  return charErrors(hyp, ref, opts).rate;
}

/**
 * Word error rate of `hyp` against `ref`.
 * @example wer('the cat sat', 'the cat sat down') // 0.25
 */
export function wer(hyp: string, ref: string, opts: TextCompareOptions = {}): number {
  return wordErrors(hyp, ref, opts).rate;
}

/** Micro average of many comparisons: sums every count, rate = Σ edits / Σ refLength. */
export function aggregateErrors(items: readonly ErrorCounts[]): ErrorCounts {
  const sum: ErrorCounts = {
    edits: 0,
    insertions: 0,
    deletions: 0,
    substitutions: 0,
    hits: 0,
    refLength: 0,
    hypLength: 0,
    rate: 0,
  };
  for (const c of items) {
    sum.edits += c.edits;
    sum.insertions += c.insertions;
    sum.deletions += c.deletions;
    sum.substitutions += c.substitutions;
    sum.hits += c.hits;
    sum.refLength += c.refLength;
    sum.hypLength += c.hypLength;
  }
  sum.rate = errorRate(sum.edits, sum.refLength);
  return sum;
}
