import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { decodeVariableMeasure, layoutFor, parseLayouts } from './variable-measure.js';

const DEFAULT = parseLayouts(['2:FFIIIIIPPPPPC', '02:FFIIIIIXPPPPC']);

describe('parseLayouts', () => {
  it('parses prefix:layout entries', () => {
    expect(parseLayouts(['2:FFIIIIIPPPPPC', '28:FFIIIIIWWWWWC'])).toEqual([
      { prefix: '2', layout: 'FFIIIIIPPPPPC' },
      { prefix: '28', layout: 'FFIIIIIWWWWWC' },
    ]);
  });

  const why = (entry: string, reason: string) =>
    `Expected "<prefix digits>:<13 letters of F I P W X C>" for barcode.variableMeasure.layouts, got ${JSON.stringify(entry)} (${reason}); e.g. "2:FFIIIIIPPPPPC"`;
  it.each([
    ['FFIIIIIPPPPPC', 'no "<prefix>:" part'],
    ['2:FFIIIIIPPPPP', 'layout must be 13 letters of F I P W X C'],
    ['2:FFIIIIIPPPPQC', 'layout must be 13 letters of F I P W X C'],
    ['2:FFIIIIIPPPPPP', 'the last position is the check digit C'],
    ['2:FFPPPPPPPPPPC', 'no item code digits I'],
    ['2:FFIIIIPPPWWWC', 'a layout holds a price P or a weight W, not both'],
    ['2:IFFIIIIPPPPPC', 'flag digits F come first'],
  ])('%j → %s', (entry, reason) => {
    expect(() => parseLayouts([entry])).toThrow(ConfigError);
    expect(() => parseLayouts([entry])).toThrow(why(entry, reason));
  });
});

describe('layoutFor', () => {
  it('picks the longest matching prefix', () => {
    const ls = parseLayouts(['2:FFIIIIIPPPPPC', '28:FFIIIIIWWWWWC']);
    expect(layoutFor('2800420012342', ls)?.prefix).toBe('28');
    expect(layoutFor('2012345004504', ls)?.prefix).toBe('2');
    expect(layoutFor('4006381333931', ls)).toBeNull();
  });
});

describe('decodeVariableMeasure', () => {
  it.each([
    // 20 | item 12345 | price 00450 → 4.50
    ['2012345004504', DEFAULT, 2, { itemCode: '12345', price: 4.5 }],
    ['2100123012503', DEFAULT, 2, { itemCode: '00123', price: 12.5 }],
    ['2100123012503', DEFAULT, 0, { itemCode: '00123', price: 1250 }],
    // UPC-A number system 2 (EAN-13 02…): item 01234, price check digit skipped, 4-digit price 0450.
    ['0201234004509', DEFAULT, 2, { itemCode: '01234', price: 4.5 }],
    // A weight layout: 28 | item 00420 | 01234 g.
    ['2800420012342', parseLayouts(['28:FFIIIIIWWWWWC']), 2, { itemCode: '00420', weightKg: 1.234 }],
  ] as const)('%s', (code, layouts, decimals, out) => {
    expect(decodeVariableMeasure(code, layouts, decimals)).toEqual(out);
  });

  it.each([
    ['2012345004505', 'wrong check digit'],
    ['4006381333931', 'not prefix 2'],
    ['201234500450', 'not 13 digits'],
  ])('%s → null (%s)', (code) => {
    expect(decodeVariableMeasure(code, DEFAULT)).toBeNull();
  });
});
