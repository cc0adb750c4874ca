/**
 * Merchant / supplier name from the header of a receipt or invoice.
 *
 * Signals, in the order they matter: a legal-entity suffix (SDN BHD, LTD, LIMITED, PVT, B.V., GmbH, লিমিটেড…),
 * the line just above the first registration/tax ID line (company names are printed right above their
 * registration number), business words (TRADING, ENTERPRISE, STORE, RESTORAN, ভান্ডার…), being near the top and
 * printed larger. Addresses, phone lines, IDs, document titles and greetings are not names. A name broken over
 * several lines ("AIK HUAT HARDWARE / ENTERPRISE (SETIA / ALAM) SDN BHD") is joined back.
 */
import type { DocContext, RowInfo } from './context.js';
import { keywordText, letterRatio, lettersForDigits, squash } from './digits.js';
import { plausibleName, repairNameWords } from './name-words.js';

export interface MerchantResult {
  value: string;
  rows: number[];
  /** Extraction certainty before OCR confidence (0..1). */
  prior: number;
  ocr: number;
  /** A legal-entity suffix or a registration line backs the choice. */
  strong: boolean;
}

const L = String.raw`(?<![\p{L}\p{M}\p{N}])`;
const R = String.raw`(?![\p{L}\p{M}\p{N}])`;
const w = (src: string): RegExp => new RegExp(`${L}(?:${src})${R}`, 'iu');

const LEGAL = w(String.raw`S[DUO0]N\.?\s*B[A-Z0-9]{1,3}\.?|S\/B|BHD\.?|BERHAD|LTD\.?|LIMITED|L\.?L\.?C\.?|INC\.?|CORP(?:ORATION)?\.?|PLC|PTE\.?|PVT\.?|PRIVATE\s+LIMITED|GMBH|B\.\s?V\.?|N\.\s?V\.?|S\.?A\.?R\.?L\.?|SAS|S\.A\.|AG|OY|AB|& CO\.?|CO\.,?\s*LTD|COMPANY|লিমিটেড|লিঃ|প্রাইভেট`);
/** A whole line that is only a legal suffix (the end of a name printed on the line above). */
const LEGAL_ONLY = /^\s*(?:SDN\.?\s*BHD\.?|S\/B|BHD\.?|BERHAD|LTD\.?|LIMITED|PVT\.?\s*LTD\.?|PRIVATE\s+LIMITED|GMBH|B\.\s?V\.?|INC\.?|CO\.,?\s*LTD\.?|লিমিটেড)\s*$/iu;
const BUSINESS = w([
  String.raw`ENTERPRISES?|TRADING|TRADERS?|STORES?|MART|SUPERMARKET|MINI\s*MARKET|HYPERMARKET|MARKET|RESTAURANT|RESTORAN|KEDAI|SYARIKAT|PERNIAGAAN`,
  String.raw`BAKER(?:Y|IES)|PHARMACY|FARMASI|HARDWARE|STATIONERY|BOOKSTORES?|BOOKS|SHOP|CENTRE|CENTER|STATION|CAFE|COFFEE|HOTEL|GROUP|INDUSTRIES`,
  String.raw`MARKETING|MOTORS?|TEXTILES?|FASHIONS?|ELECTRONICS?|FOODS?|KITCHEN|GROCER(?:Y|S)?|HOLDINGS|RETAIL|SERVICES?|SUPPLIES|DISTRIBUTORS?|AGENCY|GOURMET`,
  String.raw`ভান্ডার|ভাণ্ডার|স্টোর|এন্টারপ্রাইজ|ট্রেডার্স|ট্রেডিং|ফার্মেসি|বিতান|হাউজ|হাউস|মার্ট|সুপার\s*শপ|বেকারি|রেস্টুরেন্ট|রেস্তোরাঁ|মিষ্টান্ন|বস্ত্রালয়|এজেন্সি`,
].join('|'));
/** Words that start a line continuing the name above ("ENTERPRISE (SETIA", "SDN BHD", "& SONS"). */
const CONTINUES = /^\s*(?:&|AND\b|OF\b|\(|\)|-|ENTERPRISES?\b|TRADING\b|SDN\b|BHD\b|LTD\b|LIMITED\b|COMPANY\b|CO\.|PVT\b|\(M\)|লিমিটেড)/iu;
const ADDRESS = w([
  String.raw`JALAN|JLN|LOT|LORONG|TAMAN|TMN|ROAD|RD\.?|STREET|ST\.|AVENUE|AVE\.?|LANE|FLOOR|BLOCK|BLK|LEVEL|SUITE|BUILDING|PLAZA|KAWASAN|SEKSYEN|BANDAR|KAMPUNG|KG\.`,
  String.raw`HOUSE\s*#?|SECTOR|BAZAR|BAZAAR|DHAKA|CHITTAGONG|CHATTOGRAM|SYLHET|KHULNA|BANGLADESH|MALAYSIA|SELANGOR|JOHOR|KUALA\s*LUMPUR|PENANG|SINGAPORE|INDIA`,
  String.raw`রোড|সড়ক|বাড়ি|বাসা|ঢাকা|চট্টগ্রাম|বাজার|থানা|জেলা|লেন`,
].join('|'));
/** German and Dutch street names end in their street word: "Bahnhofstr. 12", "Lindenallee 10", "Kerkstraat". */
const STREET_SUFFIX = /\p{L}(?:str\.|straße|strasse|weg|platz|allee|gasse|straat|plein)(?![\p{L}])/iu;
const POSTCODE_OR_NUMBERED = /(?:^|\s)(?:NO\.?\s*\d|\d{1,4}[-,/]?\s*[A-Z]?,)|\b\d{5,6}\b/iu;
const CONTACT = /(?:TEL\b|TEL\s*[:.]|PHONE|FAX|MOBILE|\bHP\b|H\/P|WHATSAPP|E-?MAIL|@|WWW\.|HTTPS?:|\.COM\b|\.MY\b|ফোন|মোবাইল|হটলাইন)/iu;
const ID_LINE = /(?:CO\.?\s*-?\s*REG|COMPANY\s*(?:REG\.?\s*)?N[O0]|REG(?:ISTRATION)?\.?\s*N[O0]|\bROC\b|\bBIN\b|\bTIN\b|VAT\s*(?:REG|NO|ID)|GST\s*(?:REG|[I1l]D|N[O0])|\bABN\b|\bCIN\b|GSTIN|\bKVK\b|SIRET|SIREN|\bUEN\b|TRADE\s*LICEN[CS]E|ট্রেড\s*লাইসেন্স|বিআইএন|মূসক\s*নিবন্ধন)/iu;
/** A registration number alone on its line: "(801580-T)", "965857-A", "(JM0517726)", "(002022599 - U)". */
const REG_ALONE = /^\s*\(?\s*[A-Z]{0,3}\s*\d{4,}\s*(?:-\s*[A-Z]{1,2}|\s+[A-Z])?\s*\)?\s*$/iu;
/** A registration number at the end of the name line: "99 SPEED MART S/B (519537-X)". */
const REG_TAIL = /\s*(?:\(\s*(?:CO\.?\s*(?:REG\.?\s*)?(?:NO\.?)?\s*:?\s*)?(?=[A-Z0-9 -]*\d{5})[A-Z0-9][A-Z0-9 -]{4,}\s*\)?|(?:CO-REG|CO\.?\s*REG)\s*[:.]?\s*\S+)\s*$/iu;
const TITLE = /^(?:[-*=\s]*)(?:(?:SIMPLIFIED\s+|FULL\s+)?TAX\s+INVOICE|INVOICE|RECEIPT|OFFICIAL\s+RECEIPT|CASH\s+(?:BILL|MEMO|RECEIPT|SALES?)|BILL|MEMO|QUOTATION|DELIVERY\s+(?:ORDER|NOTE)|ORDER|ESTIMATE|PROFORMA|CREDIT\s+NOTE|COPY|DUPLICATE|REPRINT|FACTUUR|FACTURE|RECHNUNG|PAYMENT\s+RECEIPT|SALES\s+RECEIPT|চালান|রশিদ|ক্যাশ\s*মেমো|বিল)\b/iu;
const GREETING = /(?:WELCOME|THANK|THANKS|VISIT\s+AGAIN|HAVE\s+A\s+NICE|স্বাগতম|ধন্যবাদ)/iu;

/** "Supplier: …", "Sold by …", "বিক্রেতা: …": a label that introduces the name on its line. */
const NAME_LABEL = /^\s*(?:SUPPLIER|SELLER|VENDOR|SOLD\s+BY|ISSUED\s+BY|FROM|MERCHANT|COMPANY\s+NAME|SHOP\s+NAME|STORE\s+NAME|বিক্রেতা|সরবরাহকারী|প্রতিষ্ঠানের\s+নাম)\s*[:.-]?\s+(?=\S)/iu;

/** Rows from the top considered as a header. */
const HEADER_ROWS = 12;
/** Only rows in this top share of the page (when the page size is known). */
const HEADER_SHARE = 0.45;

/** Stray marks OCR leaves at line ends: table rules, quotes, brackets without partners. */
const EDGE_JUNK = /^[\s|“”"'`~«»\[\]{}_*=~-]+|[\s|“”"'`~«»\[\]{}_*=~,:;-]+$/gu;

/**
 * OCR slips inside the Malaysian legal suffix "SDN BHD" (Sendirian Berhad): "SDN 3HD", "SDN BIID", "SUN BHD",
 * "SON BHD". The suffix is fixed text, so a near miss is put back (its dots are kept as printed).
 */
const SDN_BHD_SLIP = /(?<![\p{L}\p{N}])S[DUO0]N(\.?)[\s|]*(?:B[A-Z0-9]{1,3}|[38]HD|8[A-Z]{2})(\.?)(?![\p{L}\p{N}])/giu;

/** "S/B" (Sdn Bhd) read as "S/8", "5/B" or "5/8" at the end of a name. */
const SB_SLIP = /(?<![\p{L}\p{N}])(?:S\/8|5\/[B8])(?=\s*(?:\(|$))/u;

function cleanName(s: string): string {
  let out = squash(s).replace(NAME_LABEL, '').replace(SDN_BHD_SLIP, (m, d1: string, d2: string) => (/^SDN\.?\s*BHD\.?$/i.test(m) ? m : `SDN${d1} BHD${d2}`));
  if (LEGAL.test(out.replace(SB_SLIP, 'S/B')) && !LEGAL.test(out)) out = out.replace(SB_SLIP, 'S/B');
  for (let i = 0; i < 2; i++) out = out.replace(REG_TAIL, '');
  out = repairNameWords(lettersForDigits(out));
  // "(SETIA ALAM SDN BHD": a branch in parentheses closes before the legal suffix.
  if (balance(out) > 0) out = out.replace(UNCLOSED_BEFORE_SUFFIX, '$1) $2');
  // "MOTOR ( SUNGAI RENGIT )": detectors put spaces inside parentheses.
  return out.replace(EDGE_JUNK, '').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').trim();
}

/** An open parenthesis whose text runs into a legal suffix: "(SETIA ALAM SDN BHD". */
const UNCLOSED_BEFORE_SUFFIX = /(\([^()]*?)\s+(SDN\.?\s*BHD\.?|S\/B|BHD\.?|LTD\.?|LIMITED|GMBH)$/iu;

function balance(s: string): number {
  return (s.match(/\(/g) ?? []).length - (s.match(/\)/g) ?? []).length;
}

/** What a header row holds, for the merchant and address rules: the first that applies. */
export type HeaderKind = 'contact' | 'id' | 'date' | 'greeting' | 'title' | 'money' | 'address' | 'text';

export function headerKind(ri: RowInfo): HeaderKind {
  const t = keywordText(ri.row.text);
  if (CONTACT.test(t)) return 'contact';
  if (ID_LINE.test(t) || REG_ALONE.test(t)) return 'id';
  if (ri.dates.length > 0) return 'date';
  if (GREETING.test(t)) return 'greeting';
  if (TITLE.test(t) && t.replace(TITLE, '').replace(/[^\p{L}]/gu, '').length < 4) return 'title';
  if (ri.amounts.some((a) => a.decimals === 2 || a.currency)) return 'money';
  return isAddress(ri) ? 'address' : 'text';
}

function isNoise(ri: RowInfo): boolean {
  return ['contact', 'id', 'date', 'greeting', 'title'].includes(headerKind(ri));
}

/** An address line (judged on the text without its registration-number tail, which also has 5-6 digits). */
function isAddress(ri: RowInfo): boolean {
  const t = cleanName(ri.row.text);
  return !LEGAL.test(t) && (ADDRESS.test(t) || STREET_SUFFIX.test(t) || POSTCODE_OR_NUMBERED.test(t));
}

/**
 * The merchant (or supplier) name, or null when the header has no plausible name line.
 */
export function extractMerchant(ctx: DocContext): MerchantResult | null {
  const rows = ctx.rows;
  const limit = rows.findIndex((r, i) => i >= HEADER_ROWS
    || (ctx.height > 0 && ctx.medianHeight > 0 && r.row.box[1] > ctx.height * HEADER_SHARE && i >= 3));
  const header = rows.slice(0, limit < 0 ? rows.length : limit);
  if (header.length === 0) return null;
  const idRow = header.findIndex((r) => ID_LINE.test(r.row.text) || REG_ALONE.test(r.row.text) || REG_TAIL.test(r.row.text));
  // The nearest name-like row at or above the first registration line.
  let aboveId = -1;
  if (idRow >= 0) {
    const start = REG_TAIL.test(header[idRow].row.text) && !REG_ALONE.test(header[idRow].row.text) && !ID_LINE.test(header[idRow].row.text) ? idRow : idRow - 1;
    for (let i = start; i >= 0; i--) {
      if (!isNoise(header[i]) && !isAddress(header[i])) { aboveId = i; break; }
    }
  }
  const heights = header.map((r) => r.row.height).filter((h) => h > 0);
  const ref = ctx.medianHeight || (heights.length ? heights[Math.floor(heights.length / 2)] : 0);
  const scored = header.map((ri, i) => {
    const name = cleanName(ri.row.text);
    let s = 0.3 * (1 - i / HEADER_ROWS);
    if (LEGAL.test(name)) s += 0.5;
    if (BUSINESS.test(name)) s += 0.25;
    if (i === aboveId) s += 0.5;
    if (NAME_LABEL.test(ri.row.text) && !ID_LINE.test(ri.row.text)) s += 0.6;
    if (ref > 0) s += 0.2 * Math.min(1.5, Math.max(0, ri.row.height / ref - 1)) / 1.5;
    if (isNoise(ri)) s -= 1;
    if (isAddress(ri)) s -= 0.6;
    if (ri.amounts.some((a) => a.decimals === 2 || a.currency)) s -= 0.5;
    const letters = name.replace(/[^\p{L}]/gu, '').length;
    if (letters < 3 || letterRatio(name) < 0.5 || !plausibleName(name)) s -= 0.7;
    if (LEGAL_ONLY.test(name)) s -= 0.3; // the name starts on the line above
    return { i, s };
  });
  scored.sort((a, b) => b.s - a.s || a.i - b.i);
  const best = scored[0];
  if (!best || best.s < 0) return null;
  // Join a name split over lines: upward while the first line continues the one above, downward while parentheses
  // are open or the next line is only a legal suffix.
  let top = best.i;
  let bottom = best.i;
  const joined = (): string => header.slice(top, bottom + 1).map((r) => r.row.text).join(' ');
  while (top > 0 && top - 1 >= best.i - 2 && !isNoise(header[top - 1]) && !isAddress(header[top - 1])
    && (CONTINUES.test(header[top].row.text) || balance(joined()) < 0 || balance(header[top - 1].row.text) > 0)) top--;
  const nameLike = (ri: RowInfo): boolean => !isNoise(ri) && !isAddress(ri) && letterRatio(ri.row.text) >= 0.6 && !/\d{5}/.test(ri.row.text);
  while (bottom + 1 < header.length && bottom - best.i < 2 && nameLike(header[bottom + 1])
    && (balance(joined()) > 0 || LEGAL_ONLY.test(header[bottom + 1].row.text)
      || (!LEGAL.test(joined()) && CONTINUES.test(header[bottom + 1].row.text) && !isAddress(header[bottom + 1])))) bottom++;
  const value = cleanName(joined());
  // Garbage ("XXX") is no name: better empty, for review, than wrong.
  if (!value || !plausibleName(value)) return null;
  const strong = LEGAL.test(value) || best.i === aboveId;
  const second = scored.find((x) => x.i < top || x.i > bottom);
  const margin = second ? best.s - second.s : 1;
  const prior = Math.min(0.95, 0.55 + (strong ? 0.25 : 0) + (margin > 0.3 ? 0.15 : margin > 0.15 ? 0.07 : 0));
  const used = header.slice(top, bottom + 1);
  return {
    value,
    rows: used.map((r) => r.row.index),
    prior,
    ocr: Math.min(...used.map((r) => r.row.confidence)),
    strong,
  };
}
