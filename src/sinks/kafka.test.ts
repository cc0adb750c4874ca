import { describe, expect, it } from 'vitest';
import { ean13, failedRecord, okRecord, shaOf } from '../../test/helpers/records.js';
import { defaults } from '../config/defaults.js';
import { chunkBySize, kafkaClientConfig, kafkaConnectRefusal, recordEvents, type KafkaOut } from './kafka.js';

const topics = defaults.kafka.topics;
const at = '2026-11-28T00:00:00.000Z';

describe('recordEvents', () => {
  it('an ok record → ocr.completed keyed by sha256 with schema/version and the record', () => {
    const r = okRecord(1);
    const [e, ...rest] = recordEvents(r, topics, at);
    expect(rest).toEqual([]);
    expect(e.topic).toBe('zakocr.ocr.completed');
    expect(e.message.key).toBe(shaOf(1));
    const v = JSON.parse(e.message.value);
    expect(v).toMatchObject({ schema: 'zakocr.ocr.completed', version: 1, eventId: `${shaOf(1)}:-:0.1.0+test:completed`, occurredAt: at,
      runId: 'run-1', sha256: shaOf(1), page: null, file: 'in/1.png', status: 'ok', docType: 'receipt' });
    expect(v.record).toEqual(JSON.parse(JSON.stringify(r)));
    expect(e.message.headers).toEqual({ 'zakocr-schema': 'zakocr.ocr.completed' });
  });

  it('a record with barcodes also → product.detected', () => {
    const r = { ...okRecord(2, { page: 1 }, [ean13('8941100500017', { gtin: '08941100500017' })]), product: { id: '5', barcode: '8941100500017', matchedBy: 'barcode' as const, created: true, name: 'Rice' } };
    const events = recordEvents(r, { ...topics, product: 'pos.products' }, at);
    expect(events.map((e) => e.topic)).toEqual(['zakocr.ocr.completed', 'pos.products']);
    expect(JSON.parse(events[1].message.value)).toMatchObject({
      schema: 'zakocr.product.detected', version: 1, eventId: `${shaOf(2)}:1:0.1.0+test:product`, page: 1,
      barcodes: [{ format: 'EAN_13', text: '8941100500017', valid: true, gtin: '08941100500017' }],
      product: { id: '5', created: true }, name: 'Basmati Rice 2', price: { value: 450, currency: 'BDT' }, unit: null,
    });
  });

  it.each([
    ['failed', failedRecord(3), ['zakocr.ocr.failed'], shaOf(3)],
    ['failed without a hash (keyed by path)', failedRecord(4, 'unreadable', { sha256: '' }), ['zakocr.ocr.failed'], 'in/4.png'],
    ['skipped', { ...okRecord(5), status: 'skipped' as const }, [], null],
  ])('%s record', (_n, r, topicsOut, key) => {
    const events = recordEvents(r, topics, at);
    expect(events.map((e) => e.topic)).toEqual(topicsOut);
    if (key) {
      expect(events[0].message.key).toBe(key);
      expect(JSON.parse(events[0].message.value)).toMatchObject({ schema: 'zakocr.ocr.failed', version: 1, error: { code: r.error!.code, stage: 'decode' } });
    }
  });
});

describe('chunkBySize', () => {
  const item = (n: number): KafkaOut => ({ topic: 't', message: { key: 'k', value: 'x'.repeat(n) } });
  it.each([
    [[10, 10, 10], 250, [3]], // 64 bytes of per-message overhead each
    [[100, 100, 100], 200, [1, 1, 1]],
    [[50, 50, 500, 10], 250, [2, 1, 1]],
    [[], 100, []],
  ])('sizes %o under %i bytes → chunks of %o', (sizes, max, counts) => {
    expect(chunkBySize(sizes.map(item), max).map((c) => c.length)).toEqual(counts);
  });
});

describe('kafkaClientConfig', () => {
  const cfg = { ...defaults.kafka, brokers: ['b1:9092', 'b2:9092'] };
  it('passes brokers, timeouts, TLS and SASL through', () => {
    const c = kafkaClientConfig({ ...cfg, ssl: true, sslCa: '/etc/ca.pem', saslMechanism: 'scram-sha-512', saslUsername: 'zak', saslPassword: 'pw', timeoutMs: 5000 }, () => 'PEM');
    expect(c).toMatchObject({ clientId: 'zakocr', brokers: ['b1:9092', 'b2:9092'], ssl: { ca: ['PEM'] },
      sasl: { mechanism: 'scram-sha-512', username: 'zak', password: 'pw' }, requestTimeout: 5000, connectionTimeout: 3000 });
    expect(kafkaClientConfig(cfg)).toMatchObject({ ssl: undefined, sasl: undefined });
    expect(kafkaClientConfig({ ...cfg, ssl: true })).toMatchObject({ ssl: true });
  });

  it.each([
    [{ brokers: [] }, 'Expected at least one host:port for kafka.brokers, got [] (array)'],
    [{ saslMechanism: 'plain', saslUsername: 'zak' }, 'kafka.saslMechanism plain needs kafka.saslUsername and kafka.saslPassword (ZAKOCR_KAFKA_SASL_PASSWORD)'],
    [{ sslCa: '/etc/ca.pem' }, 'kafka.sslCa is set but kafka.ssl is false: set kafka.ssl to true'],
    [{ ssl: true, sslCa: '/nonexistent/ca.pem' }, /^Cannot read kafka.sslCa \/nonexistent\/ca.pem: ENOENT/],
  ])('rejects %o', (over, message) => {
    expect(() => kafkaClientConfig({ ...cfg, ...over })).toThrow(message);
  });
});

describe('kafkaConnectRefusal', () => {
  const cfg = { brokers: ['b1:9092'], saslMechanism: 'plain', saslUsername: 'app', saslPassword: 'hunter2' };
  it('SASL authentication refused (deep in the cause chain) is a configuration error, password redacted', () => {
    const sasl = Object.assign(new Error('SASL PLAIN authentication failed: bad password hunter2'), { name: 'KafkaJSSASLAuthenticationError' });
    const err = kafkaConnectRefusal(Object.assign(new Error('Connection error'), { cause: sasl }), cfg)!;
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('kafka: cannot connect to b1:9092: authentication refused: SASL PLAIN authentication failed: bad password ***');
    expect(err.hint).toContain('kafka.saslUsername (app)');
  });

  it('leaves unreachable brokers to the retries', () => {
    expect(kafkaConnectRefusal(Object.assign(new Error('connect ECONNREFUSED'), { name: 'KafkaJSConnectionError' }), cfg)).toBeNull();
  });
});
