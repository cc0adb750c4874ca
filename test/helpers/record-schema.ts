/**
 * The record contract in tests: every record the suite reads back (JSONL, JSON, stdout, Kafka, PostgreSQL) is checked
 * against the shipped `schema/record.schema.json` with ajv, so a record change that the schema does not describe
 * fails where it happens instead of at a POS client.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const recordSchemaPath = path.join(root, 'schema', 'record.schema.json');

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(JSON.parse(readFileSync(recordSchemaPath, 'utf8')) as object);

/** Problems of one record against the schema ([] when valid), as `path: message` lines. */
export function recordSchemaProblems(record: unknown): string[] {
  if (validate(record)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(record)'}: ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** Throws naming the record's file and every schema problem; returns the records unchanged. */
export function assertValidRecords<T>(records: T[], where = 'record'): T[] {
  for (const [i, r] of records.entries()) {
    const problems = recordSchemaProblems(r);
    if (problems.length > 0) {
      const file = (r as { file?: unknown } | null)?.file;
      throw new Error(`${where} #${i} (${String(file)}) does not match schema/record.schema.json:\n  ${problems.join('\n  ')}`);
    }
  }
  return records;
}
