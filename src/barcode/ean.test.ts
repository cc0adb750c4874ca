import { describe, expect, it } from 'vitest';
import {
  compressUpcA, expandUpcE, gs1CheckDigit, gtinKeys, hasValidCheckDigit, retailCheck, retailGtin14,
} from './ean.js';

describe('gs1CheckDigit', () => {
  it.each([
    ['400638133393', 1], // EAN-13 4006381333931
    ['978030640615', 7], // ISBN 978-0-306-40615-7
    ['590123412345', 7],
    ['03600029145', 2], // UPC-A 036000291452
    ['7351353', 7], // EAN-8 73513537
    ['0950110153000', 3], // GTIN-14 09501101530003
  ])('%s → %i', (body, digit) => {
    expect(gs1CheckDigit(body)).toBe(digit);
  });

  it.each([['12a4'], ['١٢٣'], [' 123'], ['']])('rejects %j', (body) => {
    expect(() => gs1CheckDigit(body)).toThrow(`Expected digits for a GS1 check digit, got ${JSON.stringify(body)}`);
  });
});

describe('hasValidCheckDigit', () => {
  it.each([
    ['4006381333931', true],
    ['4006381333932', false],
    ['73513537', true],
    ['036000291452', true],
    ['09501101530003', true],
    ['1', false],
    ['', false],
    ['40063813339X', false],
  ])('%s → %s', (digits, ok) => {
    expect(hasValidCheckDigit(digits)).toBe(ok);
  });
});

describe('UPC-E ↔ UPC-A', () => {
  it.each([
    // last data digit 0-2: manufacturer XX?00, item 00XXX
    ['01234565', '012345000065'],
    ['00123457', '001234000057'],
    ['04963406', '049000006346'],
    ['05096893', '050968000093'],
    ['04124498', '041244000098'],
    ['01264904', '012000006494'],
    ['04965802', '049000006582'],
  ])('expandUpcE(%s) = %s', (e, a) => {
    expect(expandUpcE(e)).toBe(a);
    expect(hasValidCheckDigit(a)).toBe(true);
  });

  it.each([['1234567'], ['21234565'], ['0123456a'], ['']])('expandUpcE(%j) = null', (e) => {
    expect(expandUpcE(e)).toBeNull();
  });

  it('compressUpcA inverts expandUpcE for every last-digit rule', () => {
    for (const e of ['01234505', '01234515', '01234525', '01234535', '01234545', '01234555', '01234595', '11234565']) {
      const a = expandUpcE(e)!;
      expect(compressUpcA(a)).toBe(e);
    }
  });

  it.each([['036000291452'], ['012345678905'], ['21234500006'], ['']])('compressUpcA(%j) = null (not zero-suppressible)', (a) => {
    expect(compressUpcA(a)).toBeNull();
  });
});

describe('retailCheck / retailGtin14', () => {
  it.each([
    ['EAN_13', '4006381333931', true, '04006381333931'],
    ['EAN_13', '4006381333932', false, '04006381333932'],
    ['EAN_8', '73513537', true, '00000073513537'],
    ['UPC_A', '036000291452', true, '00036000291452'],
    ['UPC_E', '01234565', true, '00012345000065'],
    ['UPC_E', '01234566', false, '00012345000066'],
    ['EAN_13', '400638133393', false, null],
    ['QR_CODE', 'hello', null, null],
    ['CODE_128', '4006381333931', null, null],
  ] as const)('%s %s → valid %s, gtin %s', (format, text, valid, gtin) => {
    expect(retailCheck(format, text)).toBe(valid);
    expect(retailGtin14(format, text)).toBe(gtin);
  });
});

describe('gtinKeys', () => {
  it.each([
    ['036000291452', ['00036000291452']],
    ['0036000291452', ['00036000291452']],
    ['0 36000 29145 2', ['00036000291452']],
    ['4006381-333931', ['04006381333931']],
    ['৪০০৬৩৮১৩৩৩৯৩১', ['04006381333931']],
    ['73513537', ['00000073513537']],
    // An 8-digit number that is also a valid UPC-E: both readings.
    ['01234565', ['00000001234565', '00012345000065']],
    ['12345', []],
    ['ABC-123', []],
  ])('%j → %j', (raw, keys) => {
    expect(gtinKeys(raw)).toEqual(keys);
  });
});

