/**
 * Currency symbols, abbreviations and words → ISO 4217 codes.
 *
 * Shops in Bangladesh print ৳, Tk, Tk., TK, BDT or the word টাকা (often shortened টা.); imported goods carry Rs/₹,
 * $, €, £, RM… A bare `$` is read as USD (the most common meaning) but with lower certainty than an explicit code.
 */

export interface CurrencyInfo {
  /** ISO 4217 code. */
  code: string;
  /** 1 for explicit codes and unique symbols, lower for symbols shared by several currencies (`$`, `¥`, `Rs`). */
  certainty: number;
}

/** Token (as printed, matched case-insensitively unless listed in CASE_SENSITIVE) → currency. */
const TOKENS: ReadonlyArray<[token: string, code: string, certainty: number]> = [
  ['৳', 'BDT', 1], ['BDT', 'BDT', 1], ['Tk.', 'BDT', 1], ['Tk', 'BDT', 1], ['Taka', 'BDT', 1],
  ['টাকা', 'BDT', 1], ['টা.', 'BDT', 0.9], ['টাঃ', 'BDT', 0.9],
  ['₹', 'INR', 1], ['INR', 'INR', 1], ['Rs.', 'INR', 0.7], ['Rs', 'INR', 0.7], ['₨', 'PKR', 0.7], ['PKR', 'PKR', 1],
  ['US$', 'USD', 1], ['USD', 'USD', 1], ['S$', 'SGD', 1], ['SGD', 'SGD', 1], ['A$', 'AUD', 1], ['AUD', 'AUD', 1],
  ['C$', 'CAD', 1], ['CAD', 'CAD', 1], ['$', 'USD', 0.6],
  ['€', 'EUR', 1], ['EUR', 'EUR', 1], ['EURO', 'EUR', 1], ['£', 'GBP', 1], ['GBP', 'GBP', 1],
  ['RM', 'MYR', 1], ['MYR', 'MYR', 1], ['¥', 'JPY', 0.6], ['JPY', 'JPY', 1], ['CNY', 'CNY', 1], ['RMB', 'CNY', 1],
  ['Rp', 'IDR', 0.9], ['IDR', 'IDR', 1], ['฿', 'THB', 1], ['THB', 'THB', 1], ['AED', 'AED', 1], ['SAR', 'SAR', 1],
  ['CHF', 'CHF', 1], ['LKR', 'LKR', 1], ['NPR', 'NPR', 1], ['₩', 'KRW', 1], ['₱', 'PHP', 1], ['PHP', 'PHP', 1],
];

/** Tokens that are ordinary words in lower case and only count in the printed case. */
const CASE_SENSITIVE = new Set(['RM', 'Rs', 'Rs.', 'Rp', 'Tk', 'Tk.', 'SAR', 'CHF', 'PHP', 'EURO']);

const CASE_SENSITIVE_UPPER = new Set([...CASE_SENSITIVE].map((t) => t.toUpperCase()));

const BY_TOKEN = new Map<string, CurrencyInfo>();
for (const [token, code, certainty] of TOKENS) {
  BY_TOKEN.set(CASE_SENSITIVE.has(token) ? token : token.toUpperCase(), { code, certainty });
}
/** Upper-case spellings of the case-sensitive tokens that are still accepted ("TK", "RS."). */
const EXTRA_UPPER: ReadonlyArray<[string, string]> = [['TK', 'Tk'], ['TK.', 'Tk.'], ['RS', 'Rs'], ['RS.', 'Rs.'], ['tk', 'Tk']];
for (const [alias, token] of EXTRA_UPPER) BY_TOKEN.set(alias, BY_TOKEN.get(token)!);

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A token as a case-sensitive pattern: case-insensitive tokens get [Xx] classes. */
function tokenPattern(t: string): string {
  return [...t].map((ch) => {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    return !CASE_SENSITIVE.has(t) && lo !== up && /[A-Za-z]/.test(ch) ? `[${up}${lo}]` : escapeRe(ch);
  }).join('');
}

const ALL_TOKENS = [...new Set([...TOKENS.map(([t]) => t), ...EXTRA_UPPER.map(([a]) => a)])].sort((a, b) => b.length - a.length);

/**
 * Regex alternation of every token, longest first, for use inside bigger patterns (no capture groups). Tokens that
 * start with a Latin letter share one word-edge check ("TOTAL" must not yield "TO", nor "FARM" an "RM"); keeping it
 * outside the alternation lets the regex engine skip most positions quickly.
 */
export const CURRENCY_ALT: string = [
  `(?<![A-Za-z])(?:${ALL_TOKENS.filter((t) => /^[A-Za-z]/.test(t)).map(tokenPattern).join('|')})(?![A-Za-z])`,
  ...ALL_TOKENS.filter((t) => !/^[A-Za-z]/.test(t)).map(tokenPattern),
].join('|');

/** The currency a printed token stands for, or null. */
export function currencyOf(token: string): CurrencyInfo | null {
  const t = token.trim();
  const exact = BY_TOKEN.get(t);
  if (exact) return exact;
  const upper = BY_TOKEN.get(t.toUpperCase());
  // Case-sensitive tokens ("RM", "Rs") only in their printed case or all upper case.
  return upper && (t === t.toUpperCase() || !CASE_SENSITIVE_UPPER.has(t.toUpperCase())) ? upper : null;
}

export interface DocumentCurrency {
  value: string;
  raw: string;
  /** Share of currency mentions that agree, times the token certainty. */
  confidence: number;
  mentions: number;
}

const TOKEN_RE = new RegExp(`(?:${CURRENCY_ALT})`, 'g');

/**
 * The document's currency: the code most often printed (next to amounts or in column headers such as "AMT (RM)").
 * Null when no currency is printed; the caller decides on a default.
 */
export function detectCurrency(text: string): DocumentCurrency | null {
  const counts = new Map<string, { n: number; raw: string; certainty: number }>();
  let total = 0;
  for (const m of text.matchAll(TOKEN_RE)) {
    const info = currencyOf(m[0]);
    if (!info) continue;
    total += 1;
    const c = counts.get(info.code) ?? { n: 0, raw: m[0], certainty: 0 };
    c.n += 1;
    c.certainty = Math.max(c.certainty, info.certainty);
    counts.set(info.code, c);
  }
  let best: [string, { n: number; raw: string; certainty: number }] | null = null;
  for (const e of counts) if (!best || e[1].n * e[1].certainty > best[1].n * best[1].certainty) best = e;
  if (!best) return null;
  const [code, c] = best;
  return { value: code, raw: c.raw, confidence: (c.n / total) * c.certainty, mentions: c.n };
}
