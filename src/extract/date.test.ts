import { describe, expect, it } from 'vitest';
import { findDates, kindOfLabel, parseDate, type DateOrder } from './date.js';
import { banglaToGregorian } from './months.js';

const now = new Date('2026-11-28T00:00:00Z');
const iso = (s: string, order: DateOrder = 'dmy') => parseDate(s, { now, order })?.iso ?? null;

describe('parseDate → ISO', () => {
  it.each([
    ['25/12/2018', '2018-12-25'],
    ['23-01-2019', '2019-01-23'],
    ['5/3/2018', '2018-03-05'],
    ['12/03/18', '2018-03-12'],
    ['03-02-16', '2016-02-03'],
    ['17-02-18', '2018-02-17'],
    ['28.11.2026', '2026-11-28'],
    ['5.3.18', '2018-03-05'],
    ['2018/02/22', '2018-02-22'],
    ['2023-03-20', '2023-03-20'],
    ['2026.1.9', '2026-01-09'],
    ['19 MAR 2018', '2018-03-19'],
    ['19 MAR 2018 18:26', '2018-03-19'],
    ['15 JUN 18', '2018-06-15'],
    ['25 MAY 2017', '2017-05-25'],
    ['15-Jun-2018', '2018-06-15'],
    ['1st January 2026', '2026-01-01'],
    ['March 19, 2018', '2018-03-19'],
    ['Mar 19 2018', '2018-03-19'],
    ['Dec. 3, 2025', '2025-12-03'],
    ['2018-Jun-15', '2018-06-15'],
    ['19 april 2014', '2014-04-19'],
    ['29 maart 2014', '2014-03-29'],
    ['02 Juillet 2015', '2015-07-02'],
    ['8 février 2022', '2022-02-08'],
    ['3. März 2024', '2024-03-03'],
    ['12 Ogos 2019', '2019-08-12'],
    ['7 Disember 2018', '2018-12-07'],
    ['২৫/১২/২০২৬', '2026-12-25'],
    ['২৫-১২-২৬', '2026-12-25'],
    ['২৫ ডিসেম্বর ২০২৬', '2026-12-25'],
    ['১ জানুয়ারি ২০২৭', '2027-01-01'],
    ['১৫ মার্চ, ২০২৫', '2025-03-15'],
    ['৫ আগস্ট ২০২৪', '2024-08-05'],
    ['১৪ বৈশাখ ১৪৩০', '2023-04-27'],
    ['১ বৈশাখ ১৪৩১', '2024-04-14'],
    ['১ ফাল্গুন ১৪৩০', '2024-02-14'],
    ['৩০ চৈত্র ১৪৩০', '2024-04-13'],
    ['DATE : 20/03/2018 1:11:38 PM', '2018-03-20'],
    ['23-01-2019 13:14:15 PM, PRINT BY: ROOT', '2019-01-23'],
    ['Date: 31/12/2017', '2017-12-31'],
    ['12 / 03 / 2018', '2018-03-12'],
    ['Date :09-04-2018 13:16:21', '2018-04-09'],
    ['Date 18 4/2017', '2017-04-18'],
    ['DEC 2026', '2026-12-01'],
    ['December 2026', '2026-12-01'],
    ["Jun '27", '2027-06-01'],
    ['ডিসেম্বর ২০২৬', '2026-12-01'],
  ])('%s → %s', (text, want) => {
    expect(iso(text)).toBe(want);
  });

  it.each([
    ['03/04/2025', 'dmy', '2025-04-03'],
    ['03/04/2025', 'mdy', '2025-03-04'],
    ['03/20/2023', 'dmy', '2023-03-20'],
    ['25/12/2018', 'mdy', '2018-12-25'],
    ['18/03/12', 'ymd', '2018-03-12'],
    ['2025-04-03', 'mdy', '2025-04-03'],
  ] as const)('%s with order %s → %s', (text, order, want) => {
    expect(iso(text, order)).toBe(want);
  });

  it.each([
    ['31/02/2018'],
    ['32/01/2019'],
    ['13/13/2013'],
    ['29/02/2019'],
    ['12:31:00'],
    ['80.91'],
    ['07-3523888'],
    ['GST ID: 000849813504'],
    ['MAR 19'],
    ['1/2'],
    ['20181225'],
    ['Invoice 2022089083'],
  ])('%s is not a date', (text) => {
    expect(iso(text)).toBeNull();
  });

  it('accepts leap days', () => {
    expect(iso('29/02/2024')).toBe('2024-02-29');
  });
});

describe('date kinds and flags', () => {
  const first = (s: string) => findDates(s, { now })[0];

  it.each([
    ['EXP 12/2026', 'expiry', '2026-12-31'],
    ['EXP: 12/26', 'expiry', '2026-12-31'],
    ['Exp. Date: 31/12/2026', 'expiry', '2026-12-31'],
    ['Use by 05.01.2027', 'expiry', '2027-01-05'],
    ['Best before 06/2027', 'best_before', '2027-06-30'],
    ['BB 15 JAN 2027', 'best_before', '2027-01-15'],
    ['MFG 01/2026', 'manufactured', '2026-01-01'],
    ['MFD: 03/11/2026', 'manufactured', '2026-11-03'],
    ['Packed on 2026-11-01', 'manufactured', '2026-11-01'],
    ['Invoice Date: 03/20/2023', 'invoice', '2023-03-20'],
    ['Due Date: 04/04/2023', 'due', '2023-04-04'],
    ['Date : 28/11/2022', 'date', '2022-11-28'],
    ['Factuurdatum: 19 april 2014', 'invoice', '2014-04-19'],
    ['Vervaldatum 22-9-2022', 'due', '2022-09-22'],
    ['মেয়াদ উত্তীর্ণের তারিখ: ৩১/১২/২০২৬', 'expiry', '2026-12-31'],
    ['উৎপাদনের তারিখ: ০১/০১/২০২৬', 'manufactured', '2026-01-01'],
    ['তারিখ: ১৫/১১/২০২৬', 'date', '2026-11-15'],
    ['EXP DATE\n12/2026', 'expiry', '2026-12-31'],
    ['MFG: 20260105', 'manufactured', '2026-01-05'],
  ])('%j → %s %s', (text, kind, value) => {
    const d = first(text);
    expect(d.kind).toBe(kind);
    expect(d.iso).toBe(value);
    expect(d.labelled).toBe(true);
  });

  it('reads MFG and EXP on one line', () => {
    const ds = findDates('MFG 01/2026 EXP 12/2027', { now });
    expect(ds.map((d) => [d.kind, d.iso])).toEqual([['manufactured', '2026-01-01'], ['expiry', '2027-12-31']]);
  });

  it('flags a day/month order that could be swapped', () => {
    expect(first('05/10/2017').ambiguous).toBe(true);
    expect(first('25/10/2017').ambiguous).toBe(false);
    expect(first('05/05/2017').ambiguous).toBe(false);
    expect(first('19 MAR 2018').ambiguous).toBe(false);
  });

  it('notes a time after the date and a short year', () => {
    const d = first('12/03/18 18:05');
    expect(d.hasTime).toBe(true);
    expect(d.shortYear).toBe(true);
    expect(first('12/03/2018').shortYear).toBe(false);
  });

  it('gives month-precision dates day 1 unless they are expiry dates', () => {
    expect(first('12/2026').precision).toBe('month');
    expect(first('12/2026').iso).toBe('2026-12-01');
  });
});

describe('kindOfLabel', () => {
  it.each([
    ['Invoice Date:', 'invoice'],
    ['Due Date:', 'due'],
    ['EXP.', 'expiry'],
    ['Factuur datum', 'invoice'],
    ['Total', null],
  ])('%s → %s', (text, want) => {
    expect(kindOfLabel(text)).toBe(want);
  });
});

describe('banglaToGregorian', () => {
  it.each([
    [1430, 1, 1, [2023, 4, 14]],
    [1430, 7, 1, [2023, 10, 17]],
    [1430, 11, 30, [2024, 3, 14]],
    [1431, 11, 29, [2025, 3, 14]],
  ] as const)('%d-%d-%d', (y, m, d, want) => {
    expect(banglaToGregorian(y, m, d)).toEqual(want);
  });

  it.each([
    [1431, 11, 30],
    [1430, 7, 31],
    [1430, 13, 1],
  ])('%d-%d-%d is not a day', (y, m, d) => {
    expect(banglaToGregorian(y, m, d)).toBeNull();
  });
});
