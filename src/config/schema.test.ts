import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { defaults } from './defaults.js';
import { flatten } from './load.js';
import { envNameFor, schema, topLevelKeys, validateValue } from './schema.js';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('schema covers defaults', () => {
  const leaves = Object.keys(flatten(defaults as unknown as Record<string, unknown>));

  it('has exactly one validator per default leaf', () => {
    expect([...leaves].sort()).toEqual(Object.keys(schema).sort());
  });

  it.each(leaves)('default of %s passes its own validator', (key) => {
    const value = flatten(defaults as unknown as Record<string, unknown>)[key];
    expect(validateValue(key, value)).toEqual(value);
  });
});

describe('validateValue coerces strings from env and flags', () => {
  it.each<[string, unknown, unknown]>([
    ['concurrency', '4', 4],
    ['concurrency', 8, 8],
    ['concurrency', ' 2 ', 2],
    ['ocr.minLineConfidence', '0.85', 0.85],
    ['preprocess.minQuality', 0, 0],
    ['resume', 'true', true],
    ['resume', '1', true],
    ['resume', 'yes', true],
    ['resume', 'false', false],
    ['resume', '0', false],
    ['resume', 'no', false],
    ['quiet', true, true],
    ['lang', 'eng+ben', 'eng+ben'],
    ['engine', 'tesseract', 'tesseract'],
    ['ocr.tesseract.psm', 7, '7'],
    ['out', 'a.jsonl,b.csv', ['a.jsonl', 'b.csv']],
    ['out', ' a.jsonl , , b.csv ', ['a.jsonl', 'b.csv']],
    ['out', ['x.json'], ['x.json']],
    ['barcode.formats', 'EAN_13,QR_CODE', ['EAN_13', 'QR_CODE']],
    ['barcode.formats', '', []],
    ['manifest', null, null],
    ['manifest', '', null],
    ['manifest', 'null', null],
    ['manifest', 'runs/m.jsonl', 'runs/m.jsonl'],
    ['kafka.saslMechanism', 'scram-sha-256', 'scram-sha-256'],
    ['kafka.saslMechanism', null, null],
    ['limits.timeoutMs', '100', 100],
  ])('%s = %j → %j', (key, raw, expected) => {
    expect(validateValue(key, raw)).toEqual(expected);
  });
});

describe('validateValue rejects with a message naming the key, the allowed values and what arrived', () => {
  it.each<[string, unknown, string, string]>([
    ['concurrency', 'abc', '', 'Expected an integer in 1..256 for concurrency, got "abc" (string)'],
    ['concurrency', '0', '', 'Expected an integer in 1..256 for concurrency, got "0" (string)'],
    ['concurrency', 2.5, '', 'Expected an integer in 1..256 for concurrency, got 2.5 (number)'],
    ['concurrency', 300, 'command-line flags', 'Expected an integer in 1..256 for concurrency, got 300 (number) in command-line flags'],
    ['concurrency', '', '', 'Expected an integer in 1..256 for concurrency, got "" (string)'],
    ['concurrency', null, '', 'Expected an integer in 1..256 for concurrency, got null (null)'],
    ['limits.maxBytes', -1, '', 'Expected an integer in 1..∞ for limits.maxBytes, got -1 (number)'],
    ['ocr.minLineConfidence', '1.5', '', 'Expected a number in 0..1 for ocr.minLineConfidence, got "1.5" (string)'],
    ['ocr.minLineConfidence', 'NaN', '', 'Expected a number in 0..1 for ocr.minLineConfidence, got "NaN" (string)'],
    ['resume', 'maybe', 'environment variable ZAKOCR_RESUME', 'Expected true or false for resume, got "maybe" (string) in environment variable ZAKOCR_RESUME'],
    ['resume', 1, '', 'Expected true or false for resume, got 1 (number)'],
    ['lang', 'fra', '', 'Expected one of eng, ben, eng+ben, ben+eng for lang, got "fra" (string)'],
    ['engine', 'easyocr', '', 'Expected one of auto, paddle, tesseract, none for engine, got "easyocr" (string)'],
    ['device', true, '', 'Expected one of auto, cpu, cuda, webgpu for device, got true (boolean)'],
    ['manifest', 42, '', 'Expected a string for manifest, got 42 (number)'],
    ['kafka.clientId', null, '', 'Expected a string for kafka.clientId, got null (null)'],
    ['out', 5, '', 'Expected a list of strings for out, got 5 (number)'],
    ['out', ['a.jsonl', 3], '', 'Expected a list of strings for out, got ["a.jsonl",3] (array)'],
    ['barcode.formats', 'EAN_13,EAN13', '', 'Expected values from EAN_13, EAN_8, UPC_A, UPC_E, CODE_128, CODE_39, CODE_93, ITF, CODABAR, QR_CODE, DATA_MATRIX, PDF_417, AZTEC, DATABAR, DATABAR_EXPANDED for barcode.formats, got "EAN13" (string)'],
  ])('%s = %j', (key, raw, source, message) => {
    const err = errorOf(() => validateValue(key, raw, source));
    expect(err.message).toBe(message);
    expect(err.key).toBe(key);
    expect(err.exitCode).toBe(2);
  });

  it('names a near key when a leaf name matches', () => {
    const err = errorOf(() => validateValue('boxThresh', 0.4, '/x/.zakocrrc'));
    expect(err.message).toBe('Unknown config key boxThresh in /x/.zakocrrc; did you mean ocr.paddle.det.boxThresh?');
  });

  it('lists the top-level keys when nothing is near', () => {
    const err = errorOf(() => validateValue('colour', 'red'));
    expect(err.message).toBe(`Unknown config key colour; allowed top-level keys: ${topLevelKeys().join(', ')}`);
    expect(err.message).toContain('concurrency');
    expect(err.key).toBe('colour');
  });
});

describe('envNameFor', () => {
  it.each([
    ['concurrency', 'ZAKOCR_CONCURRENCY'],
    ['jsonLog', 'ZAKOCR_JSON_LOG'],
    ['limits.maxBytes', 'ZAKOCR_LIMITS_MAX_BYTES'],
    ['ocr.paddle.det.boxThresh', 'ZAKOCR_OCR_PADDLE_DET_BOX_THRESH'],
    ['ocr.minLineConfidence', 'ZAKOCR_OCR_MIN_LINE_CONFIDENCE'],
    ['kafka.topics.completed', 'ZAKOCR_KAFKA_TOPICS_COMPLETED'],
  ])('%s → %s', (key, env) => {
    expect(envNameFor(key)).toBe(env);
  });

  it('gives every key a distinct variable', () => {
    const names = Object.keys(schema).map(envNameFor);
    expect(new Set(names).size).toBe(names.length);
  });
});
