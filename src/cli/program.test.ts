import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { scanFlagsToConfig } from './commands/scan.js';
import { flagNamesOf } from './flag-names.js';
import { buildProgram, programFlags } from './program.js';

describe('programFlags (zakocr\'s own flags, before the command)', () => {
  it.each<[string[], string[]]>([
    [['--version'], ['--version']],
    [['-V', '-v'], ['-V', '-v']],
    [['-Vv'], ['-V', '-v']],
    [['--version', '--verbose', 'scan', '-v'], ['--version', '--verbose']],
    [['scan', '--version'], []],
    [['-v', 'scan', 'x'], ['-v']],
    [['-', '--version'], []],
    [[], []],
  ])('%j → %j', (args, want) => {
    expect([...programFlags(args)]).toEqual(want);
  });
});

describe('flagNamesOf', () => {
  it('names each config key by the scan flag it comes from, read off the command', () => {
    const scan = buildProgram().commands.find((c) => c.name() === 'scan')!;
    const names = flagNamesOf(scan, scanFlagsToConfig);
    expect(names).toMatchObject({
      'preprocess.minQuality': '--min-quality',
      'ocr.minLineConfidence': '--min-line-confidence',
      'extract.minFieldConfidence': '--min-field-confidence',
      'limits.timeoutMs': '--timeout',
      concurrency: '--concurrency',
      'pg.url': '--pg',
      'kafka.brokers': '--kafka',
      out: '--out',
      engine: '--engine',
    });
    // Derived values are the mapping's, not typed: --barcodes-only sets engine none, --no-barcodes barcode.enabled.
    expect(Object.values(names)).not.toContain('--barcodes-only');
    expect(Object.values(names)).not.toContain('--no-barcodes');
  });

  it('skips an option whose mapping parses the value itself (and throws on a stranger)', () => {
    const cmd = new Command('x').option('--split <r>').option('--n <n>');
    const toConfig = (f: { split?: string; n?: string }) => {
      if (f.split !== undefined) throw new Error('not a ratio');
      return { 'a.n': f.n };
    };
    expect(flagNamesOf(cmd, toConfig)).toEqual({ 'a.n': '--n' });
  });
});
