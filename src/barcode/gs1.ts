/**
 * GS1 element strings: the Application Identifier (AI) content of GS1-128, GS1 DataMatrix, GS1 QR and
 * GS1 DataBar symbols, in the three spellings met in practice. Pure functions, no I/O.
 *
 * - Raw: what the decoder returns for a GS1 symbol (FNC1 in first position dropped, later FNC1 → GS, 0x1D),
 *   e.g. `0109501101530003` + `17261231` + `10AB-123`.
 * - Bracketed human-readable form: `(01)09501101530003(17)261231(10)AB-123`.
 * - GS1 Digital Link URI (QR codes on packs): `https://id.gs1.org/01/09501101530003/10/AB-123?17=261231`.
 *
 * Values are kept as printed (strings); `gs1Date` and `gs1Decimal` turn dates and measures into numbers.
 * Reference: GS1 General Specifications, section 3 (AI definitions) and figure 7.8.5-2 (predefined lengths).
 */

/** ASCII group separator: FNC1 inside a GS1 element string ends a variable-length field. */
export const GS = '\x1d';

/** How long an AI's data field is: `fixed` digits, or up to `max` characters ended by FNC1/GS. */
interface AiSpec {
  fixed?: number;
  max?: number;
}

/**
 * AI → data length. Four-digit AIs whose last digit is a decimal-point position (310n…) are listed by
 * their first three digits with a trailing `n`. Covers the AIs used on trade items, logistic units and
 * in-store labels; unknown AIs stop the parse (reported, not guessed).
 */
const AI_TABLE: Record<string, AiSpec> = {
  '00': { fixed: 18 }, '01': { fixed: 14 }, '02': { fixed: 14 }, '03': { fixed: 14 },
  '10': { max: 20 }, '11': { fixed: 6 }, '12': { fixed: 6 }, '13': { fixed: 6 }, '15': { fixed: 6 },
  '16': { fixed: 6 }, '17': { fixed: 6 }, '20': { fixed: 2 }, '21': { max: 20 }, '22': { max: 20 },
  '30': { max: 8 }, '37': { max: 8 },
  '235': { max: 28 }, '240': { max: 30 }, '241': { max: 30 }, '242': { max: 6 }, '243': { max: 20 },
  '250': { max: 30 }, '251': { max: 30 }, '253': { max: 30 }, '254': { max: 20 }, '255': { max: 25 },
  '400': { max: 30 }, '401': { max: 30 }, '402': { fixed: 17 }, '403': { max: 30 },
  '410': { fixed: 13 }, '411': { fixed: 13 }, '412': { fixed: 13 }, '413': { fixed: 13 }, '414': { fixed: 13 },
  '415': { fixed: 13 }, '416': { fixed: 13 }, '417': { fixed: 13 },
  '420': { max: 20 }, '421': { max: 12 }, '422': { fixed: 3 }, '423': { max: 15 }, '424': { fixed: 3 },
  '425': { max: 15 }, '426': { fixed: 3 }, '427': { max: 3 },
  '710': { max: 20 }, '711': { max: 20 }, '712': { max: 20 }, '713': { max: 20 }, '714': { max: 20 }, '715': { max: 20 },
  // Trade measures (kg, m, m², m³, l …) with the decimal position in the 4th digit: 310n–369n.
  ...Object.fromEntries(
    Array.from({ length: 60 }, (_, i) => [`${310 + i}n`, { fixed: 6 }]),
  ),
  '390n': { max: 15 }, '391n': { max: 18 }, '392n': { max: 15 }, '393n': { max: 18 }, '394n': { fixed: 4 },
  '395n': { fixed: 6 },
  '7001': { fixed: 13 }, '7002': { max: 30 }, '7003': { fixed: 10 }, '7004': { max: 4 }, '7005': { max: 12 },
  '7006': { fixed: 6 }, '7007': { max: 12 }, '7008': { max: 3 }, '7009': { max: 10 }, '7010': { max: 2 },
  '7011': { max: 10 },
  '8001': { fixed: 14 }, '8002': { max: 20 }, '8003': { max: 30 }, '8004': { max: 30 }, '8005': { fixed: 6 },
  '8006': { fixed: 18 }, '8007': { max: 34 }, '8008': { max: 12 }, '8009': { max: 50 }, '8010': { max: 30 },
  '8011': { max: 12 }, '8012': { max: 20 }, '8013': { max: 25 }, '8017': { fixed: 18 }, '8018': { fixed: 18 },
  '8019': { max: 10 }, '8020': { max: 25 }, '8026': { fixed: 18 }, '8110': { max: 70 }, '8111': { fixed: 4 },
  '8112': { max: 70 }, '8200': { max: 70 },
  ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`9${i}`, { max: i === 0 ? 30 : 90 }])),
};

/** The AI at the start of `s` and its spec, or null when no known AI starts there. */
function matchAi(s: string): { ai: string; spec: AiSpec } | null {
  for (const len of [2, 3, 4]) {
    const ai = s.slice(0, len);
    if (ai.length < len || !/^\d+$/.test(ai)) return null;
    const spec = AI_TABLE[ai] ?? (len === 4 ? AI_TABLE[ai.slice(0, 3) + 'n'] : undefined);
    if (spec) return { ai, spec };
  }
  return null;
}

/** The parsed element string: AI → value, in order, plus the first problem met (parsing stops there). */
export interface Gs1Result {
  ais: Record<string, string>;
  error: string | null;
}

/** Parses a raw element string (GS-separated; a leading FNC1/GS or `]C1`-style identifier is skipped). */
export function parseGs1Raw(text: string): Gs1Result {
  const ais: Record<string, string> = {};
  let s = text.replace(/^\][A-Za-z]\d/, '');
  while (s.startsWith(GS)) s = s.slice(1);
  while (s.length > 0) {
    const m = matchAi(s);
    if (!m) return { ais, error: `unknown application identifier at "${s.slice(0, 4)}"` };
    s = s.slice(m.ai.length);
    let value: string;
    if (m.spec.fixed !== undefined) {
      value = s.slice(0, m.spec.fixed);
      if (value.length < m.spec.fixed || value.includes(GS)) return { ais, error: `AI ${m.ai} needs ${m.spec.fixed} characters` };
      s = s.slice(m.spec.fixed);
    } else {
      const end = s.indexOf(GS);
      value = end === -1 ? s : s.slice(0, end);
      s = end === -1 ? '' : s.slice(end + 1);
      if (value.length === 0 || value.length > m.spec.max!) return { ais, error: `AI ${m.ai} needs 1..${m.spec.max} characters` };
    }
    if (!checkValue(m.ai, value)) return { ais, error: `AI ${m.ai} value ${JSON.stringify(value)} is malformed` };
    ais[m.ai] = value;
    while (s.startsWith(GS)) s = s.slice(1);
  }
  return { ais, error: null };
}

/** Numeric-only AIs must hold digits (a misread that puts letters there is not GS1). */
function checkValue(ai: string, value: string): boolean {
  const numeric = /^(0[0-3]|1[1-7]|20|3\d|41|42[2-7]|7001|7003|7006|8001|8005|8006|8017|8018|8026|8111)/.test(ai);
  return !numeric || /^\d+$/.test(value);
}

/** Parses the bracketed form `(01)…(17)…`; returns null when the text is not in that form. */
export function parseGs1Bracketed(text: string): Gs1Result | null {
  if (!/^\(\d{2,4}\)/.test(text)) return null;
  const parts = text.split(/\((\d{2,4})\)/).slice(1);
  const raw: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const m = matchAi(parts[i]);
    if (!m || m.ai !== parts[i]) return { ais: {}, error: `unknown application identifier (${parts[i]})` };
    raw.push(parts[i] + parts[i + 1] + (m.spec.fixed === undefined ? GS : ''));
  }
  return parseGs1Raw(raw.join(''));
}

/**
 * Parses a GS1 Digital Link URI (any host; path `/01/{gtin}/{ai}/{value}…`, query `?17=…`), or null when
 * the text is not one. Percent-escapes are decoded.
 */
export function parseGs1DigitalLink(text: string): Gs1Result | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const segs = url.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  // The primary key starts the GS1 part of the path (a resolver may put its own segments before it).
  const start = segs.findIndex((p, i) => /^(00|01|253|255|401|402|414|417|8003|8004|8006|8010|8013|8017|8018)$/.test(p) && i + 1 < segs.length);
  if (start === -1 || (segs[start] === '01' && !/^\d{8,14}$/.test(segs[start + 1]))) return null;
  const ais: Record<string, string> = {};
  for (let i = start; i + 1 < segs.length; i += 2) {
    const m = matchAi(segs[i]);
    if (!m || m.ai !== segs[i]) return { ais, error: `unknown application identifier ${segs[i]}` };
    // Digital Link allows GTIN-8/12/13 in the path; the element string always carries GTIN-14.
    ais[m.ai] = m.ai === '01' ? segs[i + 1].padStart(14, '0') : segs[i + 1];
  }
  for (const [k, v] of url.searchParams) {
    const m = matchAi(k);
    if (m && m.ai === k) ais[k] = v;
  }
  return { ais, error: null };
}

/** Symbology identifiers that mark GS1 content (FNC1 in first position). */
const GS1_SYMBOLOGY_IDS = new Set([']C1', ']e0', ']d2', ']Q3', ']J1', ']z1']);

/**
 * The GS1 AIs in a decoded code, or null when it carries none. `symbologyId` (`]C1` …) says the symbol
 * is GS1; without it the bracketed form and Digital Link URIs are still recognised.
 */
export function parseGs1(text: string, symbologyId?: string): Gs1Result | null {
  if (symbologyId && GS1_SYMBOLOGY_IDS.has(symbologyId)) return parseGs1Raw(text);
  return parseGs1Bracketed(text) ?? parseGs1DigitalLink(text);
}

/**
 * A GS1 date (YYMMDD; DD = 00 means the last day of the month) as ISO `yyyy-mm-dd`, or null.
 * Years follow GS1's sliding window: within 49 years ahead or 50 behind `now`.
 */
export function gs1Date(yymmdd: string, now: Date = new Date()): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  let dd = Number(yymmdd.slice(4, 6));
  if (mm < 1 || mm > 12) return null;
  const cur = now.getUTCFullYear();
  const century = Math.floor(cur / 100) * 100;
  let year = century + yy;
  if (year - cur > 49) year -= 100;
  else if (cur - year > 50) year += 100;
  const last = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  if (dd === 0) dd = last;
  if (dd > last) return null;
  return `${year}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

/**
 * The number in a measure or amount AI whose 4th digit gives the decimals (310n net weight kg, 392n
 * price…): `gs1Decimal('3103', '001250')` → 1.25. Null for other AIs or non-digits. For 391n/393n (ISO
 * currency code + amount) the first three digits, the currency, are skipped.
 */
export function gs1Decimal(ai: string, value: string): number | null {
  if (!/^3\d{3}$/.test(ai) || !/^\d+$/.test(value)) return null;
  const decimals = Number(ai[3]);
  const digits = ai.startsWith('391') || ai.startsWith('393') ? value.slice(3) : value;
  if (digits.length === 0) return null;
  return Number(digits) / 10 ** decimals;
}
