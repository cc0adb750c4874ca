import { describe, expect, it } from 'vitest';
import { failedRecord, identity, okRecord } from '../../test/helpers/records.js';
import { makeOkRecord } from '../core/record.js';
import type { Logger, SourceItem, ZakRecord } from '../core/types.js';
import { createPlainReporter, fileFields } from './plain.js';

function capture(): { log: Logger; lines: Array<[string, string, Record<string, unknown> | undefined]> } {
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const at = (level: string) => (msg: string, data?: Record<string, unknown>) => void lines.push([level, msg, data]);
  return { log: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') }, lines };
}

const item = (r: ZakRecord): SourceItem => ({ path: r.file, absPath: `/x/${r.file}`, size: r.bytes });
const review = makeOkRecord(identity(3), { review: ['low_confidence:total'] });
const files = [okRecord(1), failedRecord(2, 'unsupported_format'), review];

function run(opts: { json: boolean; quiet: boolean }) {
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
});
