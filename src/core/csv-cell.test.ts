import { describe, expect, it } from 'vitest';
import { escapeCsvCell } from './csv-cell.js';

describe('escapeCsvCell (formula injection)', () => {
  it.each<[unknown, unknown]>([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+8801700000000', "'+8801700000000"],
    ['-5 discount', "'-5 discount"],
    ['@cmd', "'@cmd"],
    ['\tTk 450', "'\tTk 450"],
    ['\rTk 450', "'\rTk 450"],
    ['=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'],
    ['Basmati Rice 5kg', 'Basmati Rice 5kg'],
    ['Tk 450.00 = total', 'Tk 450.00 = total'], // only a leading sign is dangerous
    [' =1+1', ' =1+1'],
    ['৳ ৪৫০', '৳ ৪৫০'],
    ["'already quoted", "'already quoted"],
    ['', ''],
    [450, 450],
    [-12.5, -12.5], // numbers stay numbers, even negative ones
    [0, 0],
    [true, true],
    [false, false],
    [null, null],
    [undefined, null],
    [['=a', 'b'], '["=a","b"]'], // JSON of objects starts with [ or {: safe as is
    [{ value: '=x' }, '{"value":"=x"}'],
  ])('%j → %j', (input, expected) => {
    expect(escapeCsvCell(input)).toEqual(expected);
  });
});
