/**
 * Every enumerated value zakocr accepts, once: the types below, the config schema (`config/schema.ts`) and the
 * CLI's `.choices()` all read these arrays, so a value added here is accepted everywhere at once.
 */

/** OCR languages (Tesseract / PP-OCR names). */
export const LANGS = ['eng', 'ben'] as const;
export type Lang = (typeof LANGS)[number];

/** `--lang` and config `lang`: one language, or both in either order (`eng+ben` = `ben+eng`). */
export const LANG_CHOICES = ['eng', 'ben', 'eng+ben', 'ben+eng'] as const;
export type LangChoice = (typeof LANG_CHOICES)[number];

/** The languages of a `--lang` value, e.g. `ben+eng` → ['ben', 'eng']; unknown parts are dropped. Pure. */
export function parseLangs(lang: string): Lang[] {
  return lang.split('+').filter((l): l is Lang => (LANGS as readonly string[]).includes(l));
}

/** ONNX execution providers the neural engine can run on. */
export const ONNX_DEVICES = ['cpu', 'cuda', 'webgpu'] as const;
export type OnnxDevice = (typeof ONNX_DEVICES)[number];

/** `--device` and config `device`: a provider, or `auto` (the first that works: cuda, webgpu, cpu). */
export const DEVICE_CHOICES = ['auto', ...ONNX_DEVICES] as const;
export type DeviceChoice = (typeof DEVICE_CHOICES)[number];

/** Where an engine really runs (records' `engine.device`): a provider, WebAssembly (Tesseract) or nothing. */
export type DeviceInUse = OnnxDevice | 'wasm' | 'none';

/** OCR engines by registry name (`ocr/registry.ts` has one factory per name). */
export const ENGINE_NAMES = ['auto', 'paddle', 'tesseract', 'none'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** PP-OCR model sets (`ocr.paddle.precision`, `--precision`): the package's float graphs, their lossless rewrite, int8. */
export const MODEL_PRECISIONS = ['fp32', 'folded', 'int8'] as const;
export type ModelPrecision = (typeof MODEL_PRECISIONS)[number];
/** What may be asked for: a set, or `auto` (the manifest's CPU set on a CPU, fp32 on a GPU). */
export const PRECISION_CHOICES = ['auto', ...MODEL_PRECISIONS] as const;
export type PrecisionChoice = (typeof PRECISION_CHOICES)[number];

/** What a page is (records' `docType`, `zakocr export --doc-type`). */
export const DOC_TYPES = ['label', 'price_tag', 'receipt', 'invoice', 'unknown'] as const;
export type DocType = (typeof DOC_TYPES)[number];

/** Barcode symbologies the decoders read and `barcode.formats` / `--barcode-formats` accept. */
export const BARCODE_FORMATS = [
  'EAN_13', 'EAN_8', 'UPC_A', 'UPC_E', 'CODE_128', 'CODE_39', 'CODE_93', 'ITF', 'CODABAR',
  'QR_CODE', 'DATA_MATRIX', 'PDF_417', 'AZTEC', 'DATABAR', 'DATABAR_EXPANDED',
] as const;
/** A decoded symbology; `OTHER` for one a decoder reports that zakocr has no name for. */
export type BarcodeFormat = (typeof BARCODE_FORMATS)[number] | 'OTHER';

/** Tesseract page segmentation modes `ocr.tesseract.psm` accepts (`auto`: single line for line images). */
export const TESSERACT_PSMS = ['auto', '3', '4', '6', '7', '11', '12', '13'] as const;
export type TesseractPsm = (typeof TESSERACT_PSMS)[number];

/** True when `value` is one of `values` (narrows it). Pure. */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}
