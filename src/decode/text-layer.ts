/**
 * Whether a PDF text layer is text. A font without a Unicode mapping (no ToUnicode, a custom or Type 3 encoding)
 * gives an extractor only its character codes: control characters (`\x19\x12`), ASCII punctuation in place of
 * letters (`"7+%-` for "Phone"), private-use code points or bare glyph names. Such a layer is worse than OCR, so
 * the page is OCRed instead and the record says why (`text-layer-rejected:<reason>`). Pure.
 */

export type TextLayerRejection = 'control-chars' | 'private-use' | 'replacement-chars' | 'glyph-names' | 'unmapped-font';

/** A run of a text layer with the font that drew it (pdf.js `fontName`). */
export interface FontRun {
  text: string;
  font: string;
}

/** Shares of a font's (or page's) non-space characters beyond which the text is not text. */
const MAX_CONTROL_SHARE = 0.02;
const MAX_PRIVATE_USE_SHARE = 0.05;
const MAX_REPLACEMENT_SHARE = 0.05;
/** Share of tokens that are glyph names (g12, cid34, uni0041 …) beyond which the layer holds names, not text. */
const MAX_GLYPH_NAME_SHARE = 0.3;
/** Fewest plausible tokens (words, numbers, codes) in a font's text… */
const MIN_PLAUSIBLE_SHARE = 0.5;
/** …judged only on fonts with at least this many characters (a few symbols prove nothing). */
const MIN_JUDGED_CHARS = 12;
/** A font rejected for this share of the page's characters rejects the page's layer. */
const MIN_REJECTING_SHARE = 0.1;

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;
const PRIVATE_USE = /[\uE000-\uF8FF\u{F0000}-\u{FFFFD}\u{100000}-\u{10FFFD}]/gu;
const GLYPH_NAME = /^\/?(?:g|glyph|cid|gid|uni|index|char)[0-9a-f]{1,6}$/i;
/** A word (with trailing punctuation), a number or amount, a code, an e-mail or URL, a date … */
const WORD = /^[("'‘“[]?[\p{L}\p{M}][\p{L}\p{M}'’.-]*[.,:;!?)"'’”\]]*$/u;
const NUMBER = /^[(\-+±৳$€£¥₹]?[\p{N}][\p{N}.,:/%\-–]*[)%]?$/u;
/** A code of letters and digits (E103184, INV2023). */
const CODE = /^[\p{L}\p{N}]+$/u;
/** Marks that stand alone between words in real text (a currency sign, a colon, a dash, a bullet). */
const LONE_MARK = /^[:;\-–—•·|/&+#%*$€£¥₹৳@=~<>()[\]]$/u;

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

/** A token reads as text: a word, a number, or mostly letters and digits with a few marks (`E103184`, `x@y.com`). */
function plausible(token: string): boolean {
  if (WORD.test(token) || NUMBER.test(token) || CODE.test(token) || LONE_MARK.test(token)) return true;
  const alnum = count(token, /[\p{L}\p{M}\p{N}]/gu);
  return count(token, /[\p{L}]/gu) >= 2 && alnum >= 0.7 * [...token].length;
}

/** Why this text is not text, or null when it reads as text. */
export function judgeText(text: string): TextLayerRejection | null {
  const chars = [...text.replace(/\s/gu, '')].length;
  if (chars === 0) return null;
  if (count(text, CONTROL) > Math.max(1, MAX_CONTROL_SHARE * chars)) return 'control-chars';
  if (count(text, PRIVATE_USE) > MAX_PRIVATE_USE_SHARE * chars) return 'private-use';
  if (count(text, /\uFFFD/gu) > MAX_REPLACEMENT_SHARE * chars) return 'replacement-chars';
  const tokens = text.split(/\s+/u).filter(Boolean);
  if (tokens.filter((t) => GLYPH_NAME.test(t)).length > MAX_GLYPH_NAME_SHARE * tokens.length) return 'glyph-names';
  if (chars >= MIN_JUDGED_CHARS && tokens.filter(plausible).length < MIN_PLAUSIBLE_SHARE * tokens.length) return 'unmapped-font';
  return null;
}

/**
 * Judges a page's text layer font by font (one unmapped font among good ones still garbles the page's text):
 * the reason to reject it, or null to trust it.
 */
export function judgeTextLayer(runs: readonly FontRun[]): TextLayerRejection | null {
  const byFont = new Map<string, string[]>();
  for (const r of runs) byFont.set(r.font, [...(byFont.get(r.font) ?? []), r.text]);
  const total = runs.reduce((n, r) => n + r.text.replace(/\s/gu, '').length, 0);
  for (const texts of byFont.values()) {
    const text = texts.join(' ');
    const chars = text.replace(/\s/gu, '').length;
    const why = judgeText(text);
    // Control and private-use characters reject whatever their share of the page; the statistical test needs weight.
    if (why && (why !== 'unmapped-font' || chars >= MIN_REJECTING_SHARE * total)) return why;
  }
  return judgeText(runs.map((r) => r.text).join(' '));
}
