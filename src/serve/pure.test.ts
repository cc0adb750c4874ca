import { describe, expect, it } from 'vitest';
import { FILE_ERROR_CODES } from '../core/errors.js';
import type { ZakRecord } from '../core/types.js';
import { buildOpenApi, hoistDefs } from './openapi.js';
import { isInside } from './routes/job-inputs.js';
import { isLoopbackHost } from './settings.js';
import { uploadDisplayName } from './spool.js';
import { HTTP_STATUS_BY_FILE_CODE, httpStatusForRecords } from './status.js';

const rec = (status: ZakRecord['status'], code?: string) => ({ status, error: code ? { code, message: '', stage: '' } : null }) as ZakRecord;

describe('httpStatusForRecords', () => {
  it.each([
    [[rec('ok')], 200],
    [[rec('needs_review')], 200],
    [[rec('failed', 'unsupported_format')], 415],
    [[rec('failed', 'too_large')], 413],
    [[rec('failed', 'corrupt_image')], 400],
    [[rec('failed', 'encrypted_pdf')], 400],
    [[rec('failed', 'timeout')], 504],
    [[rec('failed', 'engine_failed')], 500],
    [[rec('failed', 'a_code_from_the_future')], 500],
    [[rec('ok'), rec('failed', 'corrupt_pdf')], 200],
    [[], 500],
  ])('%j → %i', (records, status) => {
    expect(httpStatusForRecords(records)).toBe(status);
  });

  it('maps every file error code', () => {
    expect(Object.keys(HTTP_STATUS_BY_FILE_CODE).sort()).toEqual([...FILE_ERROR_CODES].sort());
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true], ['127.8.9.10', true], ['localhost', true], ['::1', true], ['[::1]', true], ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false], ['::', false], ['10.0.0.5', false], ['192.168.1.2', false], ['pos.example.com', false], ['128.0.0.1', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('uploadDisplayName', () => {
  it.each([
    ['label.png', 'label.png'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\till\\receipt 1.jpg', 'receipt 1.jpg'],
    ['bad\u0000name\n.png', 'badname.png'],
    ['..', 'upload'],
    ['', 'upload'],
    [undefined, 'upload'],
    ['x'.repeat(300), 'x'.repeat(200)],
  ])('%j → %j', (name, shown) => {
    expect(uploadDisplayName(name)).toBe(shown);
  });
});

describe('isInside', () => {
  it.each([
    ['/srv/in', '/srv/in', true],
    ['/srv/in', '/srv/in/a/b.png', true],
    ['/srv/in', '/srv/inbox/b.png', false],
    ['/srv/in', '/srv/b.png', false],
    ['/srv/in', '/srv/in/../b.png', false],
  ])('%s ⊇ %s → %s', (root, target, inside) => {
    expect(isInside(root, target)).toBe(inside);
  });
});

describe('OpenAPI from the record schema', () => {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:zakocr:record:v1',
    type: 'object',
    properties: { lines: { type: 'array', items: { $ref: '#/$defs/line' } }, box: { $ref: '#/$defs/box' } },
    $defs: { line: { type: 'object', properties: { box: { $ref: '#/$defs/box' } } }, box: { type: 'array', items: { type: 'number' } } },
  };

  it('hoists $defs into components and rewrites the references', () => {
    const { root, components } = hoistDefs(schema, 'Record_');
    expect(root).toEqual({ type: 'object', properties: { lines: { type: 'array', items: { $ref: '#/components/schemas/Record_line' } }, box: { $ref: '#/components/schemas/Record_box' } } });
    expect(components).toEqual({ Record_line: { type: 'object', properties: { box: { $ref: '#/components/schemas/Record_box' } } }, Record_box: schema.$defs.box });
  });

  it('every $ref of the document resolves inside it', () => {
    const doc = buildOpenApi(schema, '1.0.0');
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    const components = (doc.components as { schemas: Record<string, unknown> }).schemas;
    for (const r of refs) expect(Object.keys(components)).toContain(r.split('/').pop()!.replace(/"$/, ''));
    expect(components.Record).toMatchObject({ type: 'object' });
  });

  it('without the schema file the record is an object that says where its schema lives', () => {
    const doc = buildOpenApi(null, '1.0.0');
    expect((doc.components as { schemas: { Record: { description: string } } }).schemas.Record.description).toMatch(/schema\/record\.schema\.json/);
  });
});
