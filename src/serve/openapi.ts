import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ConfigError, errorMessage } from '../core/errors.js';
import { errorSchema, jobParamsSchema, jobsJsonBodySchema, jobsQuerySchema, scanQuerySchema } from './schemas.js';

export type JsonSchema = Record<string, unknown>;

/**
 * The record's JSON Schema as the package ships it (`zakocr schema record`). Resolved from the package root so
 * it is found both from `src/serve/` (tests) and `dist/serve/` (the CLI).
 */
export const RECORD_SCHEMA_FILE = fileURLToPath(new URL('../../schema/record.schema.json', import.meta.url));

/**
 * Reads the record schema; null when the file is not in this build (the document then says so instead of
 * inventing a second schema).
 * @throws ConfigError when the file exists but is not JSON.
 */
export async function loadRecordSchema(file = RECORD_SCHEMA_FILE): Promise<JsonSchema | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError('schema', `Cannot read the record schema ${file}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    return JSON.parse(text) as JsonSchema;
  } catch (err) {
    throw new ConfigError('schema', `The record schema ${file} is not valid JSON: ${errorMessage(err)}`, { cause: err });
  }
}

/**
 * Moves a schema's `$defs` into OpenAPI components named `<prefix><Name>` and rewrites `#/$defs/x` references,
 * so every OpenAPI tool resolves them (not all honour a nested `$id` as a new base). Pure.
 */
export function hoistDefs(schema: JsonSchema, prefix: string): { root: JsonSchema; components: Record<string, JsonSchema> } {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) out[k] = `#/components/schemas/${prefix}${v.slice('#/$defs/'.length)}`;
      else if (k === '$ref' && v === '#') out[k] = `#/components/schemas/${prefix.replace(/_$/, '')}`;
      else out[k] = rewrite(v);
    }
    return out;
  };
  // $id goes too: inside the document a nested base URI would make tools resolve the rewritten refs against it.
  const { $defs: _drop, $schema: _dialect, $id: _id, ...rest } = schema;
  const components: Record<string, JsonSchema> = {};
  for (const [name, def] of Object.entries(defs)) components[`${prefix}${name}`] = rewrite(def) as JsonSchema;
  return { root: rewrite(rest) as JsonSchema, components };
}

/** Shown in place of the record schema when `schema/record.schema.json` is not in the build. */
function missingRecordSchema(): JsonSchema {
  return { type: 'object', description: `zakocr.record/v1 — see ${'schema/record.schema.json'}; that file is not in this build, so the record is not described here` };
}

function queryParameters(schema: { properties: Record<string, { type: string; description?: string }> }): unknown[] {
  return Object.entries(schema.properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: { type: s.type }, description: s.description }));
}

const json = (schema: unknown) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

/**
 * The OpenAPI 3.1 document of the service, built from the record's JSON Schema and the same request schemas the
 * routes validate with. Pure.
 */
export function buildOpenApi(recordSchema: JsonSchema | null, version: string): JsonSchema {
  const hoisted = recordSchema ? hoistDefs(recordSchema, 'Record_') : { root: missingRecordSchema(), components: {} };
  const upload = {
    required: true,
    content: {
      'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
      'image/*': { schema: { type: 'string', contentMediaType: 'image/*' } },
      'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } },
      'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } },
    },
  };
  const common = {
    '401': errorResponse('No or wrong API key / token'),
    '429': errorResponse('Rate limit of this key passed (Retry-After)'),
    '503': errorResponse('Busy: the wait queue is full (Retry-After)'),
  };
  const failedFile = (description: string) => ({ description, content: json(ref('ScanResponse')) });
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: { title: 'zakocr serve', version, description: 'OCR of labels, price tags, receipts and invoices for ZakPOS: one record per image or PDF page.' },
    security: [{ bearer: [] }],
    paths: {
      '/v1/scan': {
        post: {
          summary: 'Analyse one image or PDF and return its record(s)',
          parameters: queryParameters(scanQuerySchema),
          requestBody: upload,
          responses: {
            '200': { description: 'Read (status ok or needs_review in the record)', content: json(ref('ScanResponse')) },
            '400': failedFile('Bad input: damaged image or PDF, empty file, unknown option'),
            '413': failedFile('Over the byte, pixel or page limit'),
            '415': failedFile('Not a supported image or PDF'),
            '504': failedFile('The analysis took longer than limits.timeoutMs'),
            ...common,
          },
        },
      },
      '/v1/jobs': {
        post: {
          summary: 'Queue many files (uploads, or server paths under serve.jobs.roots)',
          parameters: queryParameters(jobsQuerySchema),
          requestBody: { required: true, content: { ...upload.content, 'application/json': { schema: jobsJsonBodySchema } } },
          responses: { '202': { description: 'Accepted', content: json(ref('JobSummary')) }, '400': errorResponse('Bad input; on the queue backend also ?engine/?lang/?barcodes off the defaults for a path job'), '403': errorResponse('Path outside serve.jobs.roots'), '413': errorResponse('Too large or too many files'), ...common, '503': errorResponse('Busy: job backlog full, shutting down, or the job queue\'s Redis not answering (Retry-After)') },
        },
      },
      '/v1/jobs/{id}': {
        get: {
          summary: 'A job with its records so far',
          parameters: [{ name: 'id', in: 'path', required: true, schema: jobParamsSchema.properties.id }],
          responses: { '200': { description: 'The job', content: json(ref('Job')) }, '404': errorResponse('No such job for this key'), '401': common['401'] },
        },
      },
      '/v1/jobs/{id}/events': {
        get: {
          summary: 'Server-sent events: progress, record, done',
          parameters: [{ name: 'id', in: 'path', required: true, schema: jobParamsSchema.properties.id }],
          responses: { '200': { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, '404': errorResponse('No such job for this key') },
        },
      },
      '/healthz': { get: { summary: 'Alive', security: [], responses: { '200': { description: 'The process answers' } } } },
      '/readyz': { get: { summary: 'Engines loaded and sinks delivering', security: [], responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready (details in the body)' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (ZAKOCR_API_KEYS) or a JWT (HS256/RS256 with the configured iss and aud)' } },
      schemas: {
        Record: hoisted.root,
        ...hoisted.components,
        Error: errorSchema,
        ScanResponse: {
          type: 'object',
          required: ['record', 'delivered'],
          properties: {
            record: ref('Record'),
            records: { type: 'array', items: ref('Record'), description: 'Every page, for multi-page PDFs and TIFFs (record is records[0])' },
            delivered: { type: 'boolean', description: 'Every configured sink accepted the record(s)' },
            sinkErrors: { type: 'array', items: { type: 'string' } },
            error: errorSchema.properties.error,
          },
        },
        JobSummary: {
          type: 'object',
          required: ['id', 'state', 'total', 'done', 'counts'],
          properties: {
            id: { type: 'string' },
            state: { enum: ['queued', 'running', 'done', 'cancelled'] },
            backend: { type: 'string' },
            createdAt: { type: 'string', format: 'date-time' },
            startedAt: { type: ['string', 'null'], format: 'date-time' },
            finishedAt: { type: ['string', 'null'], format: 'date-time' },
            total: { type: 'integer' },
            done: { type: 'integer' },
            counts: { type: 'object', additionalProperties: { type: 'integer' } },
            delivered: { type: 'boolean' },
            sinkErrors: { type: 'array', items: { type: 'string' } },
            options: { type: 'object' },
          },
        },
        Job: { allOf: [ref('JobSummary'), { type: 'object', properties: { records: { type: 'array', items: ref('Record') } } }] },
      },
    },
  };
}
