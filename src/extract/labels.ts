/**
 * Amount labels on receipts and invoices ("GRAND TOTAL", "SUB-TOTAL", "GST 6%", "CASH", "CHANGE", "ROUNDING",
 * "মোট", "Total TTC", "Factuur totaal"…), each with the role of the amount it names.
 *
 * Rules are tried in a fixed order and a matched span is masked before the next rule runs, so "SUB TOTAL" is a
 * subtotal and never also a total, "TOTAL QTY" names a count, and "CHANGE DUE" is change, not an amount due.
 */

export type AmountRole =
  | 'total' | 'subtotal' | 'tax' | 'rounding' | 'paid' | 'change' | 'discount'
  /** Counts ("TOTAL QTY", "ITEM(S)") and partial sums ("TOTAL 0% SUPPLIES"): not money to report. */
  | 'count' | 'part';

export interface LabelHit {
  role: AmountRole;
  /** How surely this label names the document's final amount for its role (0..1). */
  strength: number;
  start: number;
  end: number;
  text: string;
}

/** Unicode-aware word edges (JavaScript's \b only knows ASCII letters, so it fails next to Bengali). */
const L = String.raw`(?<![\p{L}\p{M}\p{N}])`;
const R = String.raw`(?![\p{L}\p{M}\p{N}])`;

function rule(role: AmountRole, strength: number, src: string): [AmountRole, number, RegExp] {
  return [role, strength, new RegExp(`${L}(?:${src})${R}`, 'giu')];
}

const RULES: ReadonlyArray<[AmountRole, number, RegExp]> = [
  rule('count', 1, String.raw`(?:TOTAL\s*)?(?:QTY|QUANTITY|ITEMS?|ITEM\s*\(S\)|ITEM\s*COUNT|PCS|UNITS|NO\.?\s*OF\s*ITEMS?|ARTICLES?)(?:\s*TENDER(?:ED)?)?|QTY\s*\(S\)|TOTAL\s*NO\.?`),
  rule('part', 1, String.raw`TOTAL\s*\d+(?:\.\d+)?\s*%\s*SUPPLIES(?:\s*\((?:EXCL|EX)[^)]*\))?|TOTAL\s*(?:ZERO|EXEMPT)[-\s]*RATED`),
  rule('total', 1, [
    String.raw`GRAND\s*TOTAL|NETT?\s*TOTAL|TOTAL\s*NETT?|FINAL\s*TOTAL|TOTAL\s*(?:AMT\.?|AMOUNT)?\s*(?:PAYABLE|DUE|TO\s*PAY)`,
    String.raw`(?:NETT?\s*)?AMOUNT\s*(?:DUE|PAYABLE)|AMOUNT\s*TO\s*(?:BE\s*)?PA(?:Y|ID)|BALANCE\s*(?:DUE|PAYABLE)`,
    String.raw`TOTAL\s*(?:AMT\.?\s*)?ROUNDED|ROUNDED\s*TOTAL|NET\s*PAYABLE|PAYABLE\s*AMOUNT|INVOICE\s*TOTAL|TOTAL\s*INVOICE`,
    String.raw`BILL\s*(?:TOTAL|AMOUNT)|TOTAL\s*BILL|TOTAL\s*TTC|MONTANT\s*(?:EUR\s*)?TTC|NET\s*[AÀ]\s*PAYER|(?:TOTAL|SOMME)\s*[AÀ]\s*PAYER`,
    String.raw`TOTAL\s*FACTURE|TE\s*BETALEN|FACTUUR\s*TOTAAL|TOTAAL\s*(?:INCL\.?|TE\s*BETALEN)|GESAMTBETRAG|RECHNUNGSBETRAG|ENDBETRAG|ZU\s*ZAHLEN`,
    String.raw`JUMLAH\s*(?:BESAR|BAYARAN|PERLU\s*DIBAYAR)|সর্বমোট(?:\s*টাকা)?|মোট\s*প্রদেয়|মোট\s*টাকা|নিট\s*প্রদেয়|প্রদেয়\s*টাকা|মোট\s*বিল`,
  ].join('|')),
  rule('change', 1, String.raw`CHANGE(?:\s*(?:DUE|AMOUNT|\(CASH\)))?|BAKI|KEMBALI|WISSELGELD|RENDU|(?:R[ÜU]CKGELD|ZUR[ÜU]CK)(?:\s*(?:BAR|EUR))?|BALANCE(?:\s*\(\s*IF\s*ANY\s*\))?|ফেরত`),
  rule('paid', 1, [
    String.raw`CASH(?:\s*(?:RECEIVED|TENDERED|PAID))?|TENDER(?:ED)?|(?:TOTAL\s*)?PAID(?:\s*AMOUNT)?|AMOUNT\s*(?:PAID|RECEIVED|TENDERED)`,
    String.raw`PAYMENT(?:\s*\((?:CASH|CARD)\))?|CREDIT(?:\s*CARD)?|DEBIT(?:\s*CARD)?|CARD\s*PAYMENT|VISA|MASTER(?:CARD)?|AMEX|NETS|E-?WALLET`,
    String.raw`BKASH|NAGAD|ROCKET|নগদ(?:\s*প্রদান)?|প্রদত্ত|বিকাশ|জমা`,
    String.raw`GEG(?:EBEN)?\.?\s*(?:BAR|EUR)?|BAR(?:\s*(?:GEGEBEN|ZAHLUNG|EUR))?|KARTENZAHLUNG|GIROCARD|EC[-\s]?(?:CASH|KARTE)|MAESTRO|V\s?PAY|ESP[ÈE]CES|CONTANT|PIN(?:NEN)?`,
  ].join('|')),
  rule('rounding', 1, String.raw`ROUND(?:ING|ED)?(?:\s*(?:ADJ(?:USTMENT|USMENT)?\.?|OFF))?|RNDG|PEMBUNDARAN|AFRONDING|ARRONDI`),
  rule('discount', 1, String.raw`(?:TOTAL\s*)?(?:DISC(?:OUNT)?S?|SAVINGS?)|YOU\s*SAVED|KORTING|REMISE|RABATT|ছাড়|ডিসকাউন্ট`),
  rule('subtotal', 1, [
    String.raw`SUB\s*-?\s*TOTAL|SUBTOTAAL|ZWISCHENSUMME|SOUS[-\s]?TOTAL|NETTOBETRAG|TOTAL\s*HT|MONTANT\s*(?:EUR\s*)?HT`,
    String.raw`TOTAL[^\d\n:]{0,25}?(?:EXCL(?:UDING|USIVE|\.)?|EX\.?|BEFORE|W\/O|WITHOUT)${R}[^\d\n:]{0,20}`,
    String.raw`AMOUNT\s*(?:UNTAXED|BEFORE\s*TAX|EXCL\.?)|TAXABLE\s*(?:AMOUNT|VALUE)|TOTAAL\s*EXCL\.?|GRONDSLAG|উপমোট|সাব\s*টোটাল`,
  ].join('|')),
  rule('total', 0.85, String.raw`TOTAL[^\d\n:]{0,30}?(?:INCL(?:USIVE|UDING|\.)?|INC\.|WITH\s*(?:GST|VAT|TAX))[^\d\n:]{0,20}|TOTAL\s*SALES|TOTAL\s*(?:AMOUNT|AMT)|TOTAL\s*GROSS|GROSS\s*TOTAL|PRIJS\s*INCL\.?\s*BTW`),
  rule('tax', 1, String.raw`(?:TOTAL\s*)?(?:[CSIU]GST|GST|VAT|TAX|SST|TVA|BTW|MWST|USt|IVA|ভ্যাট|মূসক)(?:\s*(?:PAYABLE|AMOUNT|AMT|TOTAL|BEDRAG))?(?:\s*\(?@?\s*\d+(?:\.\d+)?\s*%\)?)?(?:\s*INCLUDED(?:\s*IN\s*TOTAL)?)?|TAX\s*TOTAL`),
  rule('total', 0.8, String.raw`TOTAL|TOTAAL|SUMME|GESAMT|JUMLAH|মোট|টোটাল`),
];

/** Words that make a TAX/GST match a header or an ID rather than an amount label. */
const TAX_NOT_AMOUNT = /^(?:\s*(?:ID|REG|NO|NUMBER|SUMMARY|ANALYSIS|INVOICE|CODE|RATE|#|IDENTIFICATION|REGISTRATION)\b)/i;

/** "TOTAL (INCLUSIVE OF GST)", "Total excl. VAT": a tax word that only qualifies the label before it. */
const QUALIFIES_TOTAL = /(?:\([^)]*|\b(?:OF|INCL?\.?|INCLUSIVE|INCLUDING|EXCL?\.?|EXCLUSIVE|EXCLUDING|WITH|LUSIVE|BEFORE|AFTER|PLUS|ON)\s*)$/i;

/**
 * Every amount label in a row's text, left to right, without overlaps.
 * @param text - one row of normalised text
 */
export function findLabels(text: string): LabelHit[] {
  if (!/[\p{L}\p{M}]{2}/u.test(text)) return [];
  const masked = text.split(''); // UTF-16 units, so offsets stay those of `text`
  const hits: LabelHit[] = [];
  let work = text;
  let changed = false;
  for (const [role, strength, re] of RULES) {
    re.lastIndex = 0;
    for (let m = re.exec(work); m; m = re.exec(work)) {
      const start = m.index;
      const end = start + m[0].length;
      if (m[0].trim() === '') continue;
      if (role === 'tax' && (TAX_NOT_AMOUNT.test(text.slice(end, end + 24)) || QUALIFIES_TOTAL.test(text.slice(Math.max(0, start - 40), start)))) continue;
      hits.push({ role, strength, start, end, text: text.slice(start, end) });
      for (let i = start; i < end; i++) masked[i] = '\u0000';
      changed = true;
    }
    if (changed) work = masked.join('');
    changed = false;
  }
  return hits.sort((a, b) => a.start - b.start);
}
