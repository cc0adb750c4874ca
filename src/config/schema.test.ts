import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { defaults } from './defaults.js';
import { flatten } from './load.js';
import { BARCODE_FORMATS } from '../core/choices.js';
import { envNameFor, isHostPort, schema, topLevelKeys, validateValue, type ValueSource } from './schema.js';

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

describe('validateValue rejects with a message saying what was given, where, and what it must be', () => {
  const flag = (name: string): ValueSource => ({ flag: name });
  const file: ValueSource = { file: '/x/.zakocrrc' };
  it.each<[string, unknown, ValueSource | undefined, string]>([
    ['kafka.brokers', 'notaport:abc', flag('--kafka'), '--kafka notaport:abc: must be host:port with a port from 1 to 65535 (e.g. broker1:9092,broker2:9092)'],
    ['kafka.brokers', 'a:9092,host:99999', { env: 'KAFKA_BROKERS' }, 'KAFKA_BROKERS=a:9092,host:99999: "host:99999" is not host:port with a port from 1 to 65535 (e.g. broker1:9092,broker2:9092)'],
    ['concurrency', 'abc', flag('--concurrency'), '--concurrency abc: must be a whole number between 1 and 256'],
    ['concurrency', '0', flag('--concurrency'), '--concurrency 0: must be between 1 and 256'],
    ['concurrency', 2.5, file, '/x/.zakocrrc: concurrency 2.5: must be a whole number between 1 and 256'],
    ['concurrency', 300, file, '/x/.zakocrrc: concurrency 300: must be between 1 and 256'],
    ['concurrency', '', flag('--concurrency'), '--concurrency "": must be a whole number between 1 and 256'],
    ['concurrency', null, file, '/x/.zakocrrc: concurrency null: must be a whole number between 1 and 256'],
    ['concurrency', 'lots', { env: 'ZAKOCR_CONCURRENCY' }, 'ZAKOCR_CONCURRENCY=lots: must be a whole number between 1 and 256'],
    ['limits.maxBytes', -1, undefined, 'limits.maxBytes -1: must be ≥ 1'],
    ['limits.timeoutMs', '5', flag('--timeout'), '--timeout 5: must be ≥ 100'],
    ['preprocess.minQuality', '2', flag('--min-quality'), '--min-quality 2: must be between 0 and 1'],
    ['ocr.minLineConfidence', '1.5', flag('--min-line-confidence'), '--min-line-confidence 1.5: must be between 0 and 1'],
    ['ocr.minLineConfidence', 'NaN', flag('--min-line-confidence'), '--min-line-confidence NaN: must be a number between 0 and 1'],
    ['resume', 'maybe', { env: 'ZAKOCR_RESUME' }, 'ZAKOCR_RESUME=maybe: must be true or false'],
    ['resume', 1, file, '/x/.zakocrrc: resume 1: must be true or false'],
    ['lang', 'fra', file, '/x/.zakocrrc: lang "fra": must be one of eng, ben, eng+ben, ben+eng'],
    ['engine', 'easyocr', file, '/x/.zakocrrc: engine "easyocr": must be one of auto, paddle, tesseract, none'],
    ['device', true, file, '/x/.zakocrrc: device true: must be one of auto, cpu, cuda, webgpu'],
    ['manifest', 42, file, '/x/.zakocrrc: manifest 42: must be a string'],
    ['kafka.clientId', null, file, '/x/.zakocrrc: kafka.clientId null: must be a string'],
    ['out', 5, file, '/x/.zakocrrc: out 5: must be a list of strings'],
    ['out', ['a.jsonl', 3], file, '/x/.zakocrrc: out ["a.jsonl",3]: must be a list of strings'],
    ['barcode.formats', 'EAN13', flag('--barcode-formats'), `--barcode-formats EAN13: must be one of ${BARCODE_FORMATS.join(', ')}`],
    ['barcode.formats', 'EAN_13,EAN13', flag('--barcode-formats'), `--barcode-formats EAN_13,EAN13: "EAN13" is not one of ${BARCODE_FORMATS.join(', ')}`],
    ['engine', 'easy ocr', flag('--engine'), '--engine "easy ocr": must be one of auto, paddle, tesseract, none'],
  ])('%s = %j from %j', (key, raw, source, message) => {
    const err = errorOf(() => validateValue(key, raw, source));
    expect(err.message).toBe(message);
    expect(err.key).toBe(key);
    expect(err.exitCode).toBe(2);
  });

  it('names a near key when a leaf name matches', () => {
    const err = errorOf(() => validateValue('boxThresh', 0.4, file));
    expect(err.message).toBe('/x/.zakocrrc: unknown key boxThresh; did you mean ocr.paddle.det.boxThresh?');
  });

  it('lists the top-level keys when nothing is near', () => {
    const err = errorOf(() => validateValue('colour', 'red'));
    expect(err.message).toBe(`unknown key colour; allowed top-level keys: ${topLevelKeys().join(', ')}`);
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

describe('isHostPort (kafka.brokers)', () => {
  it.each([
    ['broker:9092', true], ['10.0.0.1:29092', true], ['[::1]:9092', true], ['kafka-0.kafka.svc.cluster.local:9092', true],
    ['notaport:abc', false], ['host:99999', false], ['host:0', false], ['host', false], [':9092', false], ['host:', false],
    ['a b:9092', false], ['host:9092:1', false],
  ])('%s → %s', (text, ok) => {
    expect(isHostPort(text)).toBe(ok);
  });
});
