/**
 * CTC greedy decoding for the PP-OCR recogniser, with the charset shipped beside the model.
 * Pure functions: no I/O, no onnxruntime.
 */

/** Index of the CTC blank class in the recogniser output. */
export const CTC_BLANK = 0;

/** Class list of the recogniser: blank, the dictionary entries in file order, then a space. */
export interface Charset {
  /** chars[i] is the text of class i; chars[0] is '' (blank). */
  readonly chars: readonly string[];
}

/**
 * Builds the class list from the dictionary file's text (one entry per line, as PaddleOCR's `ppocr_keys_v1.txt`).
 * PaddleOCR appends a space class after the dictionary (`use_space_char`), and class 0 is the CTC blank.
 * @throws Error when the dictionary is empty.
 */
export function parseCharset(dictText: string): Charset {
  const entries = dictText.replace(/\r/g, '').split('\n');
  if (entries.length > 0 && entries[entries.length - 1] === '') entries.pop();
  if (entries.length === 0) throw new Error('Expected a non-empty recogniser dictionary, got 0 entries');
  return { chars: ['', ...entries, ' '] };
}

/** Decoded text of one crop. */
export interface CtcResult {
  text: string;
  /** Mean of the winning class probabilities over the emitted characters (0 when no character). */
  confidence: number;
  /** Probability of each emitted character, in text order. */
  charConfidences: number[];
  /** Share of time steps whose unrestricted best class was outside `allowed` (script signal, 0..1 of emitted). */
  foreignRatio: number;
}

export interface CtcOptions {
  /**
   * Word-gap recovery: a blank step between two characters whose space-class probability reaches this value
   * becomes a space. PP-OCR's Chinese recogniser rarely lets the space class win on Latin text although it does
   * rise at word gaps; undefined keeps plain greedy decoding.
   */
  spaceThreshold?: number;
  /**
   * Classes that may be emitted (true = allowed); blank is always allowed. When given, each time step takes its best
   * allowed class, so a language restriction (Latin only for `eng`) cannot produce stray CJK glyphs.
   */
  allowed?: Uint8Array;
}

/**
 * Greedy CTC decode of one sequence: best class per time step, merge repeats, drop blanks.
 * @param probs row-major [T, C] probabilities (softmax output) for ONE sequence
 * @param steps T, the number of time steps
 * @param classes C, the number of classes (must equal charset.chars.length)
 * @throws Error when the shapes disagree.
 */
export function ctcGreedyDecode(
  probs: Float32Array,
  steps: number,
  classes: number,
  charset: Charset,
  opts: CtcOptions = {},
): CtcResult {
  if (classes !== charset.chars.length) {
    throw new Error(`Expected ${charset.chars.length} classes to match the charset, got ${classes}`);
  }
  if (probs.length < steps * classes) {
    throw new Error(`Expected at least ${steps * classes} probabilities for [${steps}, ${classes}], got ${probs.length}`);
  }
  const allowed = opts.allowed;
  const space = charset.chars[classes - 1] === ' ' ? classes - 1 : -1;
  const spaceAt = space >= 0 ? opts.spaceThreshold ?? Infinity : Infinity;
  let gap = false;
  let text = '';
  const charConfidences: number[] = [];
  let prev = -1;
  let foreign = 0;
  let emittedRaw = 0;
  for (let t = 0; t < steps; t++) {
    const base = t * classes;
    let best = 0;
    let bestP = -1;
    let bestAllowed = 0;
    let bestAllowedP = -1;
    for (let c = 0; c < classes; c++) {
      const p = probs[base + c];
      if (p > bestP) {
        bestP = p;
        best = c;
      }
      if ((c === CTC_BLANK || !allowed || allowed[c]) && p > bestAllowedP) {
        bestAllowedP = p;
        bestAllowed = c;
      }
    }
    if (best !== CTC_BLANK) {
      emittedRaw++;
      if (allowed && !allowed[best]) foreign++;
    }
    if (bestAllowed === CTC_BLANK) {
      if (text !== '' && probs[base + space] >= spaceAt) gap = true;
    } else if (bestAllowed !== prev) {
      if (gap && bestAllowed !== space && !text.endsWith(' ')) {
        text += ' ';
        // An inferred space is as sure as the character before it (its own class probability is low by design).
        charConfidences.push(charConfidences[charConfidences.length - 1]);
      }
      text += charset.chars[bestAllowed];
      charConfidences.push(bestAllowedP);
      gap = false;
    }
    prev = bestAllowed;
  }
  const confidence = charConfidences.length
    ? charConfidences.reduce((a, b) => a + b, 0) / charConfidences.length
    : 0;
  return { text, confidence, charConfidences, foreignRatio: emittedRaw ? foreign / emittedRaw : 0 };
}

/**
 * A class mask allowing only characters that match `keep` (blank is always allowed).
 * @example allowedMask(charset, (ch) => /^[\x20-\x7e]$/.test(ch)) // printable ASCII only
 */
export function allowedMask(charset: Charset, keep: (ch: string) => boolean): Uint8Array {
  const mask = new Uint8Array(charset.chars.length);
  mask[CTC_BLANK] = 1;
  for (let i = 1; i < charset.chars.length; i++) mask[i] = keep(charset.chars[i]) ? 1 : 0;
  return mask;
}

/**
 * Characters a Latin-script (`eng`) page may contain: printable ASCII, Latin-1 letters and signs, typographic
 * punctuation and currency signs. Everything else in the Chinese dictionary (CJK, full-width forms) is excluded.
 */
export function isLatinTextChar(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if (ch.length !== 1) return false;
  if (cp >= 0x20 && cp <= 0x7e) return true;
  if (cp >= 0xa0 && cp <= 0x24f) return true; // Latin-1 supplement, Latin Extended-A/B
  return '‘’“”–—…•€£¥₹৳№°'.includes(ch);
}
