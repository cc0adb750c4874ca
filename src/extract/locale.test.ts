/**
 * Receipts from other locales and the failure classes of unseen data (issue 14), as OCR-like lines: German
 * supermarket / drugstore / electronics receipts (comma decimals, EUR, SUMME/GESAMT/ZU ZAHLEN, BAR/Rückgeld, MwSt
 * tables, dd.mm.yy dates next to times and till numbers) and Bangladeshi receipts (Tk/৳, Bengali digits and
 * months, VAT, Net Total, rounding). Each row of a case is one printed line; "label   amount" rows are one line.
 */
import { describe, expect, it } from 'vitest';
import { extractFields, type ExtractInput } from './extract-fields.js';

const now = new Date('2026-11-28T10:00:00Z');
const options = { dateOrder: 'dmy', minFieldConfidence: 0.5 } as ExtractInput['options'];
const run = (rows: string[]) => extractFields({ lines: [], text: rows.join('\n'), barcodes: [], width: 0, height: 0, options, now });

const DE_HEAD = ['Frischmarkt Lehmann GmbH', 'Bahnhofstr. 74', '70173 Stuttgart', 'Tel. 0711 3019211', 'USt-IdNr. DE284922807', 'EUR'];

describe('totals: locales and cross-checks', () => {
  it.each<[string, string[], number]>([
    ['GESAMT with cash and Zurück', [...DE_HEAD, 'Handcreme 7,60 B', 'Deo Spray 0,87 B', 'Duschgel 5,54 B', 'GESAMT 14,01', 'Geg. BAR 20,00', 'Zurück 5,99'], 14.01],
    ['SUMME EUR, a thousands dot and a decimal comma', [...DE_HEAD, 'Notebook 15" 1.129,00 B', 'USB-C Kabel 2m 9,99 B', 'SUMME EUR 1.138,99', 'Kartenzahlung 1.138,99'], 1138.99],
    ['ZU ZAHLEN over the VAT table\'s gross column', [...DE_HEAD, 'Vollmilch 3,5% 1,19 A', 'Roggenbrot 2,49 A', 'Kaffee Crema 6,99 B', 'ZU ZAHLEN 10,67', 'BAR 20,00', 'Rückgeld 9,33',
      'MwSt% Netto MwSt Brutto', 'A 7,0% 3,42 0,24 3,68', 'B 19,0% 5,87 1,12 6,99', 'Gesamtbetrag 9,29 1,36 10,67'], 10.67],
    ['a tax-class digit glued to the amount (7,60 1 → 7,601)', [...DE_HEAD, 'Handcreme 7,601', 'Deo Spray 0,87 1', 'SUMME 8,47', 'BAR 10,00', 'Rückgeld 1,53'], 8.47],
    ['the arithmetic over a misread total (5,47 read as 5417)', [...DE_HEAD, 'Wattepads 2,48 B', 'Duschgel 2,99 B', 'SUMME 5417', 'Geg. BAR 10,00', 'Rückgeld 4,53'], 5.47],
    ['cash minus change when the total label is lost', [...DE_HEAD, 'Tomaten 3,10', 'Butter 250g 2,29', 'SUWME 5,39', 'BAR 10,00', 'Rückgeld 4,61'], 5.39],
    ['not the change (a small amount on a cash line)', ['KEDAI RUNCIT MAJU', 'ITEM A 3.50', 'ITEM B 4.20', 'TOTAL 7.70', 'CASH 10.00', 'CHANGE 2.30'], 7.7],
    ['not the tax', ['SYARIKAT ABC SDN BHD', 'SUBTOTAL 100.00', 'GST 6% 6.00', 'TOTAL 106.00'], 106],
    ['the rounded amount paid, not the total before rounding', ['99 SPEED MART S/B', 'TOTAL 26.82', 'ROUNDING -0.02', 'TOTAL ROUNDED 26.80', 'CASH 30.00', 'CHANGE 3.20'], 26.8],
    ['Net Total with Tk and rounding', ['Karim Super Shop', 'Sub Total 4,609.50', 'VAT 5% 230.48', 'Net Total 4,839.98', 'Rounding 0.02', 'Total Payable Tk 4,840.00', 'Cash 5,000.00', 'Change 160.00'], 4840],
    ['Bengali digits and labels', ['রহিম স্টোর', 'উপমোট ৬,১৪৫.৫০', 'ভ্যাট ১৫% ৯২১.৮৩', 'মোট ৭,০৬৭.৩৩', 'Rounding -০.৩৩', 'সর্বমোট Tk. ৭,০৬৭.০০', 'নগদ ৭,৫০০.০০', 'ফেরত ৪৩৩.০০'], 7067],
    ['৳ before the amount', ['Padma Pharmacy', 'Napa 500mg 2 x 12.00 24.00', 'Total ৳ 24.00', 'Cash 50.00', 'Change 26.00'], 24],
    ['an apostrophe thousands separator', ['Technikhaus Vogel AG', 'Monitor 27" 1\'249.00', 'TOTAL CHF 1\'249.00'], 1249],
    ['a space thousands separator', ['Elektro Koch SARL', 'Ecran 1 249,00', 'NET A PAYER 1 249,00 EUR'], 1249],
  ])('%s', (_name, rows, total) => {
    expect(run(rows).fields.total?.value).toBe(total);
  });

  it('records the rejected candidates with why the chosen one won', () => {
    const r = run([...DE_HEAD, 'Wattepads 2,48 B', 'Duschgel 2,99 B', 'SUMME 5417', 'Geg. BAR 10,00', 'Rückgeld 4,53']);
    const alternatives = r.fields.total?.alternatives as Array<{ value: number; raw: string }> | undefined;
    expect(alternatives?.map((a) => a.value)).toContain(5417);
    expect(r.fields.total?.verified).toBe(true);
  });
});

describe('dates: locales and neighbours', () => {
  it.each<[string, string, string]>([
    ['dd.mm.yy with a time, receipt and till number', '28.06.25 13:29  Bon 7933  Kasse 9', '2025-06-28'],
    ['a till number before the date', 'Kasse:5 Bed.:160 20.08.26 18:22', '2026-08-20'],
    ['dd.mm.yyyy hh:mm', 'Datum: 16.04.2022 09:05', '2022-04-16'],
    ['a weekday before the date', 'Mo 12.03.24 14:32 Uhr', '2024-03-12'],
    ['a weekday glued with a comma', 'Sa,28.06.2025 10:11', '2025-06-28'],
    ['a time glued to the year', 'Bon 4711 28.06.2513:29', '2025-06-28'],
    ['an English weekday in brackets', 'Date: 12/03/2025 (WED) 3:45 PM', '2025-03-12'],
    ['a Bengali month and digits', 'তারিখ: ৫ এপ্রিল ২০২২', '2022-04-05'],
    ['Bengali digits, numeric', 'তারিখ: ০৫/০৪/২০২২ ১২:৩০', '2022-04-05'],
    ['dd-Mon-yyyy', 'Date: 06-Apr-2023 18:09', '2023-04-06'],
  ])('%s', (_name, row, iso) => {
    expect(run(['Frischmarkt Lehmann GmbH', 'SUMME 5,39', row]).fields.date?.value).toBe(iso);
  });
});

describe('merchant: header lines', () => {
  it.each<[string, string[], string]>([
    ['the company over a branch or mall name', ['AEON MALL SHAH ALAM', 'LIAN HING TRADING SDN BHD', '(123456-X)', 'LOT 12, JALAN BESAR'], 'LIAN HING TRADING SDN BHD'],
    ['a GmbH line over the shop\'s slogan', ['Ihr Markt um die Ecke', 'Frischmarkt Lehmann GmbH', 'Bahnhofstr. 74', '70173 Stuttgart'], 'Frischmarkt Lehmann GmbH'],
    ['an OCR slip in a business word', ['99 SPEED NART S/B (519537-X)', 'LOT P.T. 33198, BATU 4'], '99 SPEED MART S/B'],
    ['a slip in COMPANY', ['SIMPLIFIED TAX INVOICE', 'SIN THYE & COMFANY', 'REG. N0:00168397-H'], 'SIN THYE & COMPANY'],
    ['a slip in HARDWARE', ['AIK HUAT HARDNARE', 'ENTERPRISE (SETIA', 'ALAM) SDN BHD', '822737-X'], 'AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD'],
    ['a Bangladeshi Ltd.', ['Bismillah General Store Ltd.', 'House 66, Road 3, Dhanmondi', 'Chattogram-4100'], 'Bismillah General Store Ltd.'],
  ])('%s', (_name, rows, want) => {
    expect(run([...rows, 'TOTAL 10.00', 'CASH 10.00']).fields.merchant?.value).toBe(want);
  });

  it.each<[string, string[]]>([
    ['a garbage header', ['XXX', '*** ***', 'TOTAL 10.00', 'CASH 10.00']],
    ['a logo-only header (no text above the items)', ['ITEM A 3.50', 'ITEM B 6.50', 'TOTAL 10.00', 'CASH 10.00']],
  ])('leaves it empty, for review, on %s', (_name, rows) => {
    const r = run(rows);
    expect(r.fields.merchant).toBeUndefined();
    expect(r.review).toContain('missing_field:merchant');
  });
});

describe('address: the header lines under the company', () => {
  it.each<[string, string[], string]>([
    ['Malaysian', ['YONGFATT ENTERPRISE', '(JM0517726)', 'NO 122.124. JALAN DEDAP 13', '81100 JOHOR BAHRU', 'TEL: 07-1234567', 'TOTAL 10.00'], 'NO 122.124. JALAN DEDAP 13 81100 JOHOR BAHRU'],
    ['German', [...DE_HEAD, 'SUMME 5,39'], 'Bahnhofstr. 74 70173 Stuttgart'],
    ['Bangladeshi', ['Bismillah General Store Ltd.', 'House 66, Road 3, Dhanmondi', 'Chattogram-4100', 'Phone: 01676115573', 'BIN: 327085351-0101', 'Total Tk 10.00'], 'House 66, Road 3, Dhanmondi Chattogram-4100'],
  ])('%s', (_name, rows, want) => {
    expect(run(rows).fields.address?.value).toBe(want);
  });
});

describe('lettersForDigits in names and addresses', () => {
  it.each([
    ['House 87, R0ad 15, Mirpur 10', 'House 87, Road 15, Mirpur 10'],
    ['L0T 1851-A, GR0UND FL00R', 'LOT 1851-A, GROUND FLOOR'],
    ['N0.3, JALAN PJS 11/15', 'NO.3, JALAN PJS 11/15'],
    ['(X) U13/X, BLOCK A1', '(X) U13/X, BLOCK A1'],
  ])('%s', (text, want) => {
    expect(run(['SYARIKAT MAJU SDN BHD', text, 'TOTAL 10.00']).fields.address?.value).toBe(want);
  });
});
