/**
 * Barcode accuracy: recall, precision and false decodes per symbology. Pure functions, no I/O.
 *
 * A decoded symbol matches an expected one when its text is equal (after NFC and after dropping
 * one final line break on each side, as zxing's label files sometimes end with one) and its
 * format is the same, or when both are retail GTIN symbologies (EAN-13, EAN-8, UPC-A, UPC-E)
 * that encode the same GTIN: zxing may report a UPC-A as EAN-13 with a leading 0, and a UPC-E
 * is the zero-suppressed form of a UPC-A. Every decoded symbol that matches no label is a false
 * decode, so labels must list every symbol an image holds.
 */

/** A barcode as labelled in a dataset or as decoded: zxing format name and text. */
export interface BarcodeLabel {
  format: string;
  text: string;
}

/** Figures for one format (or for all: format `'*'`). Rates are null when their denominator is 0. */
export interface BarcodeFormatScore {
  format: string;
  /** Labelled symbols of this format. */
  expected: number;
  /** Labelled symbols of this format that were decoded correctly. */
  found: number;
  /** Decoded symbols reported with this format. */
  decoded: number;
  /** Decoded symbols of this format that matched a label. */
  correct: number;
  /** decoded − correct: wrong text, wrong symbology or a symbol nobody labelled. */
  falseDecodes: number;
  /** found / expected */
  recall: number | null;
  /** correct / decoded */
  precision: number | null;
}

export interface BarcodeMatch {
  matched: Array<{ expected: BarcodeLabel; decoded: BarcodeLabel }>;
  missed: BarcodeLabel[];
  falseDecodes: BarcodeLabel[];
}

const GTIN_FORMATS = new Set(['EAN_13', 'EAN_8', 'UPC_A', 'UPC_E']);
const FINAL_BREAK = /\r?\n$/u;

function cleanText(text: string): string {
  return text.normalize('NFC').replace(FINAL_BREAK, '');
}

/**
 * Expands an 8-digit UPC-E (number system, 6 digits, check digit) to its 12-digit UPC-A;
 * null when `upce` is not 8 digits with number system 0 or 1.
 */
export function expandUpcE(upce: string): string | null {
  if (!/^[01]\d{7}$/u.test(upce)) return null;
  const ns = upce[0]!;
  const d = upce.slice(1, 7);
  const check = upce[7]!;
  const last = Number(d[5]);
  let body: string;
  if (last <= 2) body = `${d.slice(0, 2)}${d[5]}0000${d.slice(2, 5)}`;
  else if (last === 3) body = `${d.slice(0, 3)}00000${d.slice(3, 5)}`;
  else if (last === 4) body = `${d.slice(0, 4)}00000${d[4]}`;
  else body = `${d.slice(0, 5)}0000${d[5]}`;
  return `${ns}${body}${check}`;
}

/** The GTIN-14 a retail symbol encodes, or null for other formats / non-digit text. */
export function gtinKey(label: BarcodeLabel): string | null {
  if (!GTIN_FORMATS.has(label.format)) return null;
  const text = cleanText(label.text);
  const digits = label.format === 'UPC_E' ? expandUpcE(text) : /^\d{8,14}$/u.test(text) ? text : null;
  return digits === null ? null : digits.padStart(14, '0');
}

function sameSymbol(e: BarcodeLabel, d: BarcodeLabel): boolean {
  if (e.format === d.format && cleanText(e.text) === cleanText(d.text)) return true;
  const ke = gtinKey(e);
  return ke !== null && ke === gtinKey(d);
}

/**
 * Pairs decoded symbols with labels for one image. Exact format+text pairs are taken first,
 * then GTIN-equivalent ones; each label and each decode is used at most once.
 */
export function matchBarcodes(expected: readonly BarcodeLabel[], decoded: readonly BarcodeLabel[]): BarcodeMatch {
  const freeE = expected.map(() => true);
  const freeD = decoded.map(() => true);
  const matched: BarcodeMatch['matched'] = [];
  const pass = (eq: (e: BarcodeLabel, d: BarcodeLabel) => boolean): void => {
    expected.forEach((e, i) => {
      if (!freeE[i]) return;
      const j = decoded.findIndex((d, k) => freeD[k] && eq(e, d));
      if (j < 0) return;
      freeE[i] = false;
      freeD[j] = false;
      matched.push({ expected: e, decoded: decoded[j]! });
    });
  };
  pass((e, d) => e.format === d.format && cleanText(e.text) === cleanText(d.text));
  pass(sameSymbol);
  return {
    matched,
    missed: expected.filter((_, i) => freeE[i]),
    falseDecodes: decoded.filter((_, j) => freeD[j]),
  };
}

function emptyScore(format: string): BarcodeFormatScore {
  return { format, expected: 0, found: 0, decoded: 0, correct: 0, falseDecodes: 0, recall: null, precision: null };
}

function finish(s: BarcodeFormatScore): BarcodeFormatScore {
  s.falseDecodes = s.decoded - s.correct;
  s.recall = s.expected > 0 ? s.found / s.expected : null;
  s.precision = s.decoded > 0 ? s.correct / s.decoded : null;
  return s;
}

/**
 * Scores many images: per-format rows sorted by format name, plus `total` over all formats.
 * @example scoreBarcodes([{ expected: [{format:'EAN_13',text:'4006381333931'}], decoded: [] }]).total.recall // 0
 */
export function scoreBarcodes(
  items: ReadonlyArray<{ expected: readonly BarcodeLabel[]; decoded: readonly BarcodeLabel[] }>,
): { perFormat: BarcodeFormatScore[]; total: BarcodeFormatScore } {
  const rows = new Map<string, BarcodeFormatScore>();
  const row = (f: string): BarcodeFormatScore => {
    let r = rows.get(f);
    if (!r) rows.set(f, (r = emptyScore(f)));
    return r;
  };
  const total = emptyScore('*');
  for (const item of items) {
    for (const e of item.expected) row(e.format).expected++;
    for (const d of item.decoded) row(d.format).decoded++;
    total.expected += item.expected.length;
    total.decoded += item.decoded.length;
    for (const m of matchBarcodes(item.expected, item.decoded).matched) {
      row(m.expected.format).found++;
      row(m.decoded.format).correct++;
      total.found++;
      total.correct++;
    }
  }
  const perFormat = [...rows.values()].sort((a, b) => a.format.localeCompare(b.format)).map(finish);
  return { perFormat, total: finish(total) };
}
