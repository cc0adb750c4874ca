import { describe, expect, it } from 'vitest';
import { failedRecord, identity, okRecord } from '../../test/helpers/records.js';
import { makeOkRecord } from '../core/record.js';
import type { Logger, SourceItem, ZakRecord } from '../core/types.js';
import { createPlainReporter, fileFields, plainLine, type PlainOptions } from './plain.js';

function capture(): { log: Logger; lines: Array<[string, string, Record<string, unknown> | undefined]> } {
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const at = (level: string) => (msg: string, data?: Record<string, unknown>) => void lines.push([level, msg, data]);
  return { log: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') }, lines };
}

const item = (r: ZakRecord): SourceItem => ({ path: r.file, absPath: `/x/${r.file}`, size: r.bytes });
const review = makeOkRecord(identity(3), { review: ['low_confidence:total'] });
const files = [okRecord(1), failedRecord(2, 'unsupported_format'), review];

function run(opts: PlainOptions) {
  const { log, lines } = capture();
  const rep = createPlainReporter(log, opts);
  rep.event({ type: 'start', runId: 'r', engine: { name: 'none', models: [], device: 'none', version: '0' }, pipelineVersion: 'p', concurrency: 1, manifest: 'm' });
  for (const r of files) rep.event({ type: 'file', item: item(r), records: [r], ms: 12.4 });
  return lines;
}

describe('plain reporter', () => {
  it('--quiet keeps one error line per failed file, naming it and the reason', () => {
    expect(run({ json: false, quiet: true })).toEqual([['error', 'failed in/2.png · unsupported_format: in/2.png: cannot decode · 0.0s', undefined]]);
  });

  it('--json-log: failed files at level error, needs_review at warn, scalar fields only', () => {
    const lines = run({ json: true, quiet: false }).filter(([, msg]) => msg === 'file');
    expect(lines.map(([level, , d]) => [level, d!.file, d!.status])).toEqual([['info', 'in/1.png', 'ok'], ['error', 'in/2.png', 'failed'], ['warn', 'in/3.png', 'needs_review']]);
    for (const [, , d] of lines) for (const v of Object.values(d!)) expect(['string', 'number']).toContain(typeof v);
    expect(lines[1]![2]).toMatchObject({ errorCode: 'unsupported_format', errorStage: 'decode', ms: 12 });
    expect(lines[2]![2]).toMatchObject({ review: 'low_confidence:total' });
  });

  it('quiet JSON keeps only the failed files', () => {
    expect(run({ json: true, quiet: true }).map(([level, msg]) => [level, msg])).toEqual([['error', 'file']]);
  });

  it('a multi-page file is failed when one page failed', () => {
    expect(fileFields([okRecord(1), failedRecord(1)], 5)).toMatchObject({ status: 'failed', pages: 2, errorCode: 'corrupt_image' });
  });

  it('says what the engines load before the first file, in text and in JSON', () => {
    expect(run({ json: false, quiet: false, models: ['det', 'cls', 'rec', 'tesseract eng'] })[0]).toEqual(['info', 'zakocr: loading models (det, cls, rec, tesseract eng)…', undefined]);
    expect(run({ json: false, quiet: false })[0]).toEqual(['info', 'zakocr: starting (no OCR models to load)…', undefined]);
    expect(run({ json: true, quiet: false, models: ['tesseract eng'] })[0]).toEqual(['info', 'loading', { models: 'tesseract eng' }]);
  });

  it.each<[string, PlainOptions, string[]]>([
    ['plain', { json: false, quiet: false }, ['ok     in/1.png · receipt · 0.0s']],
    ['--verbose adds the stage timings', { json: false, quiet: false, verbose: true }, ['ok     in/1.png · receipt · 0.0s', '       decode 3 · ocr 40 · total 50 ms']],
    ['--debug adds the engine decisions', { json: false, quiet: false, debug: true }, [
      'ok     in/1.png · receipt · 0.0s', '       decode 3 · ocr 40 · total 50 ms', '       engine none on none · 8 lines (test 8) · preprocess none · receipt',
    ]],
  ])('%s', (_label, opts, want) => {
    const lines = run(opts).map(([, msg]) => msg);
    expect(lines.slice(lines.indexOf('ok     in/1.png · receipt · 0.0s'), lines.indexOf('ok     in/1.png · receipt · 0.0s') + want.length)).toEqual(want);
  });

  it('--json-log --verbose: one page event per page after the file event, with scalar timing fields', () => {
    const lines = run({ json: true, quiet: false, verbose: true });
    const i = lines.findIndex(([, msg, d]) => msg === 'file' && d!.file === 'in/1.png');
    expect(lines[i + 1]).toEqual(['info', 'page', { file: 'in/1.png', decodeMs: 3, ocrMs: 40, totalMs: 50 }]);
  });

  it('colours only the status word, and only when asked', () => {
    expect(plainLine([okRecord(1)], 12, true)).toBe('\x1b[32mok    \x1b[39m in/1.png · receipt · 0.0s');
    expect(plainLine([failedRecord(2)], 12, true)).toMatch(/^\x1b\[31mfailed\x1b\[39m in\/2\.png · corrupt_image: /u);
    expect(plainLine([okRecord(1)], 12, false)).toBe('ok     in/1.png · receipt · 0.0s');
  });
});
