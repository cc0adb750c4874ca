/**
 * JSON Schemas of the request options: Fastify validates requests with them and `openapi.ts` documents them,
 * so the two cannot drift apart.
 */
export const variantQueryProperties = {
  engine: { type: 'string', description: 'OCR engine for this request (one of serve.engines; default: the server engine)' },
  lang: { type: 'string', description: 'OCR language(s): eng, ben or eng+ben (one of serve.langs; default: the server lang)' },
  barcodes: { type: 'boolean', description: 'Look for barcodes (default: barcode.enabled)' },
} as const;

export const scanQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...variantQueryProperties,
    filename: { type: 'string', maxLength: 200, description: 'Name shown in the record for a raw-body upload (default "upload")' },
  },
} as const;

export const jobsQuerySchema = { type: 'object', additionalProperties: false, properties: { ...variantQueryProperties } } as const;

export const jobParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

export const jobsJsonBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['inputs'],
  properties: {
    inputs: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', minLength: 1, maxLength: 4096 },
      description: 'Server paths, folders or file:// URIs under serve.jobs.roots',
    },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, stage: { type: 'string' } },
    },
  },
} as const;

export interface VariantQueryInput {
  engine?: string;
  lang?: string;
  barcodes?: boolean;
}

export interface ScanQueryInput extends VariantQueryInput {
  filename?: string;
}
