/**
 * In-store variable-measure EAN-13 (GS1 restricted circulation numbers, prefixes 20–29; and UPC-A number
 * system 2, i.e. EAN-13 `02…`): the shop's scale prints the item code and the price or weight into the
 * barcode itself. Which digits mean what is set by each country and scale vendor, so the layout is
 * configuration. Pure functions.
 *
 * Layout: 13 letters over the EAN-13 digits, one per position:
 *   F flag/prefix · I item code · P price digit · W weight digit (grams) · X ignored (price check digit) · C check digit
 * Config entries are `"<prefix>:<layout>"`, longest prefix wins, e.g. the default
 *   `2:FFIIIIIPPPPPC`  → 20–29, 5-digit item code, 5-digit price
 *   `02:FFIIIIIXPPPPC` → UPC-A number system 2 (North America): item, price check digit, 4-digit price
 */
import { ConfigError } from '../core/errors.js';
import { hasValidCheckDigit } from './ean.js';

export interface VariableMeasureLayout {
  /** Leading digits of the 13-digit code this layout applies to. */
  prefix: string;
  layout: string;
}

export interface VariableMeasure {
  itemCode: string;
  /** In the shop's currency, `priceDecimals` applied. */
  price?: number;
  weightKg?: number;
}

const LAYOUT_RE = /^[FIPWXC]{13}$/;

/**
 * Parses and checks `"<prefix>:<layout>"` config entries.
 * @throws ConfigError naming `barcode.variableMeasure.layouts` for a malformed entry.
 */
export function parseLayouts(entries: readonly string[], key = 'barcode.variableMeasure.layouts'): VariableMeasureLayout[] {
  return entries.map((entry) => {
    const m = /^(\d{1,12}):(.+)$/.exec(entry.trim());
    const fail = (why: string): never => {
      throw new ConfigError(
        key,
        `Expected "<prefix digits>:<13 letters of F I P W X C>" for ${key}, got ${JSON.stringify(entry)} (${why}); e.g. "2:FFIIIIIPPPPPC"`,
      );
    };
    if (!m) return fail('no "<prefix>:" part');
    const [, prefix, layout] = m;
    if (!LAYOUT_RE.test(layout)) return fail('layout must be 13 letters of F I P W X C');
    if (layout[12] !== 'C') return fail('the last position is the check digit C');
    if (!layout.includes('I')) return fail('no item code digits I');
    if (layout.includes('P') && layout.includes('W')) return fail('a layout holds a price P or a weight W, not both');
    if (!/^F+[^F]+$/.test(layout)) return fail('flag digits F come first');
    return { prefix, layout };
  });
}

/** The layout whose prefix matches `ean13` (longest first), or null. */
export function layoutFor(ean13: string, layouts: readonly VariableMeasureLayout[]): VariableMeasureLayout | null {
  let best: VariableMeasureLayout | null = null;
  for (const l of layouts) if (ean13.startsWith(l.prefix) && (!best || l.prefix.length > best.prefix.length)) best = l;
  return best;
}

/**
 * Decodes a variable-measure code, or returns null when `ean13` (13 digits, the EAN-13 or 0-padded UPC-A
 * spelling) has a wrong check digit or no layout applies.
 * @param priceDecimals digits after the decimal point in P fields (2: `00450` → 4.50).
 */
export function decodeVariableMeasure(
  ean13: string,
  layouts: readonly VariableMeasureLayout[],
  priceDecimals = 2,
): VariableMeasure | null {
  if (!/^\d{13}$/.test(ean13) || !hasValidCheckDigit(ean13)) return null;
  const l = layoutFor(ean13, layouts);
  if (!l) return null;
  let item = '';
  let price = '';
  let weight = '';
  for (let i = 0; i < 13; i++) {
    const c = l.layout[i];
    if (c === 'I') item += ean13[i];
    else if (c === 'P') price += ean13[i];
    else if (c === 'W') weight += ean13[i];
  }
  const out: VariableMeasure = { itemCode: item };
  if (price) out.price = round(Number(price) / 10 ** priceDecimals, priceDecimals);
  if (weight) out.weightKg = round(Number(weight) / 1000, 3);
  return out;
}

function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}
