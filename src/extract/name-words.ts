/**
 * Business names as printed on receipt headers: the fixed words they are built from (company suffixes and trade
 * words — HARDWARE, MART, COMPANY, TRADING, GMBH, স্টোর …), OCR slips inside those words put back, and a check
 * that a header line is a name at all rather than OCR garbage ("XXX", "*** ***").
 *
 * A slip is repaired only into a vocabulary word, only through one substitution between look-alike glyphs (M/N,
 * W/H, W/N, P/F, O/D, C/G, I/L, B/8, S/5, O/0 …), and only in words of four letters or more: "99 SPEED NART" →
 * MART, "COMFANY" → COMPANY, "HARDNARE" → HARDWARE. Proper names are left as read.
 */

/** Words company names are made of (upper case). */
const VOCABULARY: readonly string[] = [
  // legal forms and their parts
  'SDN', 'BHD', 'BERHAD', 'SENDIRIAN', 'LIMITED', 'COMPANY', 'CORPORATION', 'INCORPORATED', 'PRIVATE', 'HOLDINGS', 'GROUP', 'GMBH',
  // trade words (English, Malay, German)
  'ENTERPRISE', 'ENTERPRISES', 'TRADING', 'TRADERS', 'TRADER', 'MARKETING', 'INTERNATIONAL', 'INDUSTRIES', 'INDUSTRIAL',
  'HARDWARE', 'ELECTRICAL', 'ELECTRONICS', 'ELECTRONIC', 'FURNITURE', 'STATIONERY', 'BOOKSTORE', 'BOOKSTORES', 'BOOKS',
  'SUPERMARKET', 'HYPERMARKET', 'MINIMARKET', 'MARKET', 'MART', 'STORE', 'STORES', 'SHOP', 'GENERAL', 'DEPARTMENTAL', 'DEPARTMENT',
  'RESTAURANT', 'RESTORAN', 'CAFE', 'COFFEE', 'BAKERY', 'BAKERIES', 'KITCHEN', 'FOOD', 'FOODS', 'GROCER', 'GROCERY', 'GOURMET',
  'PHARMACY', 'FARMASI', 'CLINIC', 'MEDICAL', 'OPTICAL', 'MOTOR', 'MOTORS', 'AUTO', 'SERVICES', 'SERVICE', 'SUPPLIES', 'SUPPLY',
  'DISTRIBUTOR', 'DISTRIBUTORS', 'AGENCY', 'CENTRE', 'CENTER', 'STATION', 'HOTEL', 'TEXTILE', 'TEXTILES', 'FASHION', 'FASHIONS',
  'BOUTIQUE', 'TAILOR', 'TAILORING', 'HANDICRAFT', 'CRAFT', 'CASH', 'CARRY', 'SPEED', 'FRESH', 'SUPER', 'TRADE', 'RETAIL',
  'KEDAI', 'SYARIKAT', 'PERNIAGAAN', 'RUNCIT', 'PASAR', 'MAKANAN',
  'MARKT', 'DROGERIE', 'APOTHEKE', 'BACKSTUBE', 'BÄCKEREI', 'GETRÄNKE', 'ELEKTRO', 'HANDEL', 'TECHNIK',
];
const WORDS = new Set(VOCABULARY);

/** Glyph pairs OCR confuses in print (both directions). */
const LOOK_ALIKE: ReadonlyArray<readonly [string, string]> = [
  ['M', 'N'], ['W', 'H'], ['W', 'N'], ['W', 'V'], ['P', 'F'], ['O', 'D'], ['O', 'Q'], ['O', '0'], ['C', 'G'], ['I', 'L'], ['I', '1'],
  ['L', '1'], ['B', '8'], ['B', 'R'], ['S', '5'], ['E', 'F'], ['U', 'V'], ['H', 'N'], ['R', 'P'], ['Z', '2'], ['G', '6'],
];
const CONFUSED = new Set(LOOK_ALIKE.flatMap(([a, b]) => [`${a}${b}`, `${b}${a}`]));

/** Shortest word a slip is repaired in: shorter ones have too many neighbours. */
const MIN_REPAIR_LENGTH = 4;

/** The vocabulary word `word` is one look-alike substitution away from, else null. */
export function vocabularyWord(word: string): string | null {
  const up = word.toUpperCase();
  if (up.length < MIN_REPAIR_LENGTH || WORDS.has(up)) return null;
  let found: string | null = null;
  for (const v of VOCABULARY) {
    if (v.length !== up.length) continue;
    let diff = -1;
    let ok = true;
    for (let i = 0; i < v.length && ok; i++) {
      if (v[i] === up[i]) continue;
      if (diff >= 0 || !CONFUSED.has(`${up[i]}${v[i]}`)) ok = false;
      diff = i;
    }
    if (!ok || diff < 0) continue;
    if (found && found !== v) return null; // two candidates: leave it
    found = v;
  }
  return found;
}

/** Keeps the printed case pattern: UPPER, Capitalised or lower. */
function likeCase(model: string, word: string): string {
  if (model === model.toUpperCase()) return word;
  if (model === model.toLowerCase()) return word.toLowerCase();
  return word[0] + word.slice(1).toLowerCase();
}

/** Puts back OCR slips in the vocabulary words of a name ("99 SPEED NART S/B" → "99 SPEED MART S/B"). */
export function repairNameWords(name: string): string {
  return name.replace(/[\p{L}\p{N}]+/gu, (w) => {
    if (!/\p{L}/u.test(w)) return w;
    const v = vocabularyWord(w);
    return v ? likeCase(w, v) : w;
  });
}

/**
 * Whether a cleaned header line can be a business name: at least three letters, of at least three different
 * kinds (not "XXX"), no glyph repeated four times running, most characters letters or name punctuation.
 */
export function plausibleName(name: string): boolean {
  const letters = name.match(/[\p{L}\p{M}]/gu) ?? [];
  if (letters.length < 3) return false;
  if (new Set(letters.map((c) => c.toUpperCase())).size < 3) return false;
  if (/(.)\1{3,}/u.test(name.replace(/\s/g, ''))) return false;
  const nonSpace = name.replace(/\s/g, '');
  const nameChars = nonSpace.match(/[\p{L}\p{M}\p{N}&.'()\-/,]/gu) ?? [];
  return nameChars.length / nonSpace.length >= 0.8;
}
