import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { defaults } from './defaults.js';
import { flatten, loadConfig } from './load.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'zakocr-config-'));
  // cosmiconfig's 'project' strategy stops at the first package.json: keep the search inside the temp dir.
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'shop', private: true }));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<ConfigError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('flatten', () => {
  it('turns nested objects into dotted keys; arrays and nulls stay leaves', () => {
    expect(flatten({ a: 1, b: { c: [1, 2], d: { e: null } } })).toEqual({ a: 1, 'b.c': [1, 2], 'b.d.e': null });
  });
});

describe('loadConfig layers: defaults ← file ← environment ← flags', () => {
  it('returns the defaults when nothing is set', async () => {
    const { config, filepath, fromEnv } = await loadConfig({ cwd: dir, env: {} });
    expect(config).toEqual(defaults);
    expect(filepath).toBeNull();
    expect(fromEnv).toEqual([]);
  });

  it.each([
    ['.zakocrrc (JSON)', '.zakocrrc', JSON.stringify({ concurrency: 3, limits: { timeoutMs: 5000 }, out: ['a.csv'] })],
    ['.zakocrrc (YAML)', '.zakocrrc', 'concurrency: 3\nlimits:\n  timeoutMs: 5000\nout:\n  - a.csv\n'],
    ['.zakocrrc.json', '.zakocrrc.json', JSON.stringify({ concurrency: 3, limits: { timeoutMs: 5000 }, out: ['a.csv'] })],
    ['.zakocrrc.yaml', '.zakocrrc.yaml', 'concurrency: 3\nlimits: { timeoutMs: 5000 }\nout: [a.csv]\n'],
    ['zakocr.config.mjs', 'zakocr.config.mjs', 'export default { concurrency: 3, limits: { timeoutMs: 5000 }, out: ["a.csv"] };\n'],
  ])('reads %s', async (_label, name, body) => {
    await writeFile(path.join(dir, name), body);
    const { config, filepath } = await loadConfig({ cwd: dir, env: {} });
    expect(filepath).toBe(path.join(dir, name));
    expect(config.concurrency).toBe(3);
    expect(config.limits.timeoutMs).toBe(5000);
    expect(config.limits.maxBytes).toBe(defaults.limits.maxBytes); // siblings keep their defaults
    expect(config.out).toEqual(['a.csv']);
  });

  it('reads the "zakocr" key of package.json', async () => {
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'shop', zakocr: { lang: 'eng+ben', engine: 'tesseract' } }));
    const { config, filepath } = await loadConfig({ cwd: dir, env: {} });
    expect(filepath).toBe(path.join(dir, 'package.json'));
    expect([config.lang, config.engine]).toEqual(['eng+ben', 'tesseract']);
  });

  it('finds the file from a sub-folder of the project', async () => {
    await writeFile(path.join(dir, '.zakocrrc'), '{"quiet": true}');
    const sub = path.join(dir, 'photos', '2026');
    await mkdir(sub, { recursive: true });
    expect((await loadConfig({ cwd: sub, env: {} })).config.quiet).toBe(true);
  });

  it('loads an explicit --config file', async () => {
    const file = path.join(dir, 'other.yaml');
    await writeFile(file, 'strict: true\n');
    const { config, filepath } = await loadConfig({ cwd: dir, configFile: file, env: {} });
    expect([config.strict, filepath]).toEqual([true, file]);
  });

  it('env overrides the file; flags override env; undefined flags are ignored', async () => {
    await writeFile(path.join(dir, '.zakocrrc'), JSON.stringify({ concurrency: 3, lang: 'ben', quiet: true }));
    const env = { ZAKOCR_CONCURRENCY: '5', ZAKOCR_LANG: 'eng+ben' };
    const fromFileEnv = await loadConfig({ cwd: dir, env });
    expect([fromFileEnv.config.concurrency, fromFileEnv.config.lang, fromFileEnv.config.quiet]).toEqual([5, 'eng+ben', true]);
    expect(fromFileEnv.fromEnv.sort()).toEqual(['concurrency', 'lang']);
    const withFlags = await loadConfig({ cwd: dir, env, flags: { concurrency: '7', lang: undefined } });
    expect([withFlags.config.concurrency, withFlags.config.lang]).toEqual([7, 'eng+ben']);
  });

  it('takes DATABASE_URL and KAFKA_BROKERS unless the ZAKOCR_ names are set', async () => {
    const a = await loadConfig({ cwd: dir, env: { DATABASE_URL: 'postgres://u@h/db', KAFKA_BROKERS: 'k1:9092,k2:9092' } });
    expect([a.config.pg.url, a.config.kafka.brokers]).toEqual(['postgres://u@h/db', ['k1:9092', 'k2:9092']]);
    const b = await loadConfig({ cwd: dir, env: { DATABASE_URL: 'postgres://u@h/db', ZAKOCR_PG_URL: 'postgres://v@h/x' } });
    expect(b.config.pg.url).toBe('postgres://v@h/x');
  });

  it('never mutates the shared defaults', async () => {
    await loadConfig({ cwd: dir, env: { ZAKOCR_LIMITS_TIMEOUT_MS: '1234' }, flags: { out: ['x.csv'] } });
    expect(defaults.limits.timeoutMs).toBe(180_000);
    expect(defaults.out).toEqual(['zakocr-results.jsonl']);
  });
});

describe('loadConfig errors name the file and key, the variable or the flag, and what the value must be', () => {
  it.each<[string, string, string, string]>([
    ['a bad value in .zakocrrc', '.zakocrrc', '{"engine": "easyocr"}', '<dir>/.zakocrrc: engine "easyocr": must be one of auto, paddle, tesseract, none'],
    ['a nested bad value in YAML', '.zakocrrc.yaml', 'limits:\n  timeoutMs: fast\n', '<dir>/.zakocrrc.yaml: limits.timeoutMs "fast": must be a whole number ≥ 100'],
    ['an unknown nested key', '.zakocrrc', '{"ocr": {"paddle": {"det": {"boxTresh": 0.5}}}}', '<dir>/.zakocrrc: unknown key ocr.paddle.det.boxTresh; did you mean '],
    ['a misplaced known leaf', '.zakocrrc', '{"timeoutMs": 500}', '<dir>/.zakocrrc: unknown key timeoutMs; did you mean '],
    ['a key with nothing near', '.zakocrrc', '{"colourScheme": "dark"}', '<dir>/.zakocrrc: unknown key colourScheme; allowed top-level keys: concurrency, '],
    ['an array at the root', '.zakocrrc', '[1, 2]', '<dir>/.zakocrrc: must hold an object of settings, not a list'],
    ['broken JSON', '.zakocrrc.json', '{"concurrency": ', 'cannot read the config file: JSON Error in <dir>/.zakocrrc.json:'],
  ])('%s', async (_label, name, body, message) => {
    await writeFile(path.join(dir, name), body);
    const err = await rejection(loadConfig({ cwd: dir, env: {} }));
    expect(err.message.startsWith(message.replaceAll('<dir>', dir)), err.message).toBe(true);
    expect(err.exitCode).toBe(2);
  });

  it('a parse error is said once: the message is the parser\'s, with no cause to repeat it', async () => {
    await writeFile(path.join(dir, '.zakocrrc.yaml'), 'concurrency: [\n');
    const err = await rejection(loadConfig({ cwd: dir, env: {} }));
    expect(err.message).toMatch(/^cannot read the config file: YAML Error in .*\.zakocrrc\.yaml:\n/u);
    expect(err.cause).toBeUndefined();
  });

  it.each([
    ['{"ocr": {"paddle": {"det": {"boxTresh": 0.5}}}}', 'ocr.paddle.det.boxThresh'],
    ['{"timeoutMs": 500}', 'limits.timeoutMs'],
    ['{"concurency": 2}', 'concurrency'],
  ])('an unknown key in %s suggests %s', async (body, suggestion) => {
    await writeFile(path.join(dir, '.zakocrrc'), body);
    const err = await rejection(loadConfig({ cwd: dir, env: {} }));
    expect(err.message).toMatch(new RegExp(`did you mean [^?]*\\b${suggestion.replaceAll('.', '\\.')}\\b`));
  });

  it('a bad environment value names the variable', async () => {
    const err = await rejection(loadConfig({ cwd: dir, env: { ZAKOCR_CONCURRENCY: 'lots' } }));
    expect(err.message).toBe('ZAKOCR_CONCURRENCY=lots: must be a whole number between 1 and 256');
    expect(err.key).toBe('concurrency');
  });

  it('a bad flag value names the flag as typed', async () => {
    const err = await rejection(loadConfig({ cwd: dir, env: {}, flags: { 'limits.timeoutMs': '5' }, flagNames: { 'limits.timeoutMs': '--timeout' } }));
    expect(err.message).toBe('--timeout 5: must be ≥ 100');
  });
});
