import { describe, expect, it } from 'vitest';
import { buildContext } from './context.js';
import { extractMerchant } from './merchant.js';

const now = new Date('2026-11-28T00:00:00Z');
const merchant = (text: string) => extractMerchant(buildContext([], text, 0, 0, 'dmy', now))?.value ?? null;

describe('extractMerchant', () => {
  it.each([
    ['the legal name under an owner name', 'TAN WOON YANN\nYONGFATT ENTERPRISE\n(JM0517726)\nNO 122.124 JALAN DEDAP 13\n81100 JOHOR BAHRU', 'YONGFATT ENTERPRISE'],
    ['the registered company over the trade name', 'KIKU JAPANESE RESTAURANT\nTK DIVISION KITCHEN SDN BHD\n1202152-P\n19-1, JALAN MALINJA 2', 'TK DIVISION KITCHEN SDN BHD'],
    ['a name with its registration number', '99 SPEED MART S/B (519537-X)\nLOT P. T. 2811, JALAN ANGSA', '99 SPEED MART S/B'],
    ['a name over two lines ending in a suffix line', 'MPH BOOKSTORES\nSDN BHD\nGST NO: 000542572544\nLOT S319, 2ND FLOOR,', 'MPH BOOKSTORES SDN BHD'],
    ['a name broken inside parentheses', 'AIK HUAT HARDWARE\nENTERPRISE (SETIA\nALAM) SDN BHD\n822737-X\nNO. 17-G, JALAN SETIA INDAH', 'AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD'],
    ['not the document title', 'SIMPLIFIED TAX INVOICE\nSIN THYE & COMPANY\nREG. NO:00168397-H\nGST NO: 001329332224', 'SIN THYE & COMPANY'],
    ['a Bangladeshi limited company', 'SHWAPNO\nACI LOGISTICS LIMITED\nBIN: 000123456-0101\nHouse 12, Road 5, Gulshan 1, Dhaka', 'ACI LOGISTICS LIMITED'],
    ['a Bengali shop name', 'মেসার্স রহিম স্টোর\n১২/ক, কাওরান বাজার, ঢাকা\nফোন: ০১৭১১-০০০০০০', 'মেসার্স রহিম স্টোর'],
    ['OCR slips in the suffix', 'GARDENIA BAKERIES (KL) SDN BIID (139386 X)\nLot 3, Jalan Pelabur 23/1,', 'GARDENIA BAKERIES (KL) SDN BHD'],
    ['spaces inside parentheses and stray marks', '[S.H.H. MOTOR ( SUNGAI RENGIT ) SDN. BHD.\n(801580-T)', 'S.H.H. MOTOR (SUNGAI RENGIT) SDN. BHD.'],
    ['the name after a Supplier label', 'INVOICE No INV-2026-0042\nDate 28/11/2026\nSupplier Dhaka Foods Ltd\nSubtotal Tk 1200.00', 'Dhaka Foods Ltd'],
    ['a name when the closing parenthesis of its number is lost', 'BOON SENG PAPER SDN BHD (1248717-W\n12, JALAN BUNGA TANJUNG', 'BOON SENG PAPER SDN BHD'],
  ])('finds %s', (_what, text, want) => {
    expect(merchant(text)).toBe(want);
  });

  it.each([
    ['only addresses and phone numbers', 'NO 12, JALAN BESAR\nTEL: 03-12345678\n40000 SHAH ALAM'],
    ['nothing', ''],
  ])('returns null for %s', (_what, text) => {
    expect(merchant(text)).toBeNull();
  });
});
