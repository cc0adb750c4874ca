import { describe, expect, it } from 'vitest';
import { judgeText, judgeTextLayer } from './text-layer.js';

describe('judgeText', () => {
  it.each<[string, string, ReturnType<typeof judgeText>]>([
    ['an invoice line', 'Invoice No: INV/2023/03/0008 Date: 20/03/2023 Total € 279,84', null],
    ['a table of amounts', '1 PCS 49,99 21 % 0,00 41,31 8,68 49,99 E103184 E103560', null],
    ['Bengali', 'চাল ৫ কেজি মোট ৳ ৪৫০.০০ টাকা', null],
    ['an e-mail and a URL', 'E-mail: verkoop-nl@saeco.com Website: www.saeco.com', null],
    ['nothing', '   ', null],
    ['control characters from an unmapped font', '\u0001\u0002\u0003\u0004\u0005 \u0006\u0007\b\u0007 \u0019\u0012', 'control-chars'],
    ['private-use code points (a symbol font)', '\uE001\uE002\uE003 \uE004\uE005 Total', 'private-use'],
    ['replacement characters', '\uFFFD\uFFFD\uFFFD \uFFFD\uFFFD 42', 'replacement-chars'],
    ['glyph names only', 'g12 g13 g14 g15 g16 g17', 'glyph-names'],
    ['codes shifted into punctuation ("Phone" → !"#$%)', '!"#$% &\'(\' ))) &\'&\' *$+#,-% $./0%1 23 4#567 48 2)&9&&', 'unmapped-font'],
    ['a few symbols are not enough to judge', '*** --- ***', null],
  ])('%s', (_name, text, verdict) => {
    expect(judgeText(text)).toBe(verdict);
  });
});

describe('judgeTextLayer', () => {
  it('rejects a page where one font of several is unmapped', () => {
    const runs = [
      { text: 'Invoice 42 for Rice and Lentils, delivered Monday', font: 'F1' },
      { text: '*$+#,-% $./0%1 4#567 2)&9&& !"#$%', font: 'F2' },
    ];
    expect(judgeTextLayer(runs)).toBe('unmapped-font');
  });

  it('keeps a page whose odd font holds only a few marks (bullets, a logo)', () => {
    const runs = [{ text: 'Monthly statement for March, balance due 1,250.00 Tk, thank you for your business', font: 'F1' }, { text: '• • •', font: 'F2' }];
    expect(judgeTextLayer(runs)).toBeNull();
  });
});
