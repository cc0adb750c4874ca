import { describe, expect, it } from 'vitest';
import { sniffFormat, type InputFormat } from './sniff.js';

const bytes = (...parts: Array<number[] | string>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const pad = (b: Uint8Array, n = 32) => Uint8Array.from([...b, ...new Array(Math.max(0, n - b.length)).fill(0)]);

describe('sniffFormat', () => {
  it.each<[string, Uint8Array, InputFormat]>([
    ['JPEG SOI + marker', pad(bytes([0xff, 0xd8, 0xff, 0xe0])), 'jpeg'],
    ['JPEG with EXIF APP1', pad(bytes([0xff, 0xd8, 0xff, 0xe1])), 'jpeg'],
    ['PNG signature', pad(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a])), 'png'],
    ['WebP RIFF container', pad(bytes('RIFF', [0x10, 0, 0, 0], 'WEBPVP8 ')), 'webp'],
    ['TIFF little-endian', pad(bytes([0x49, 0x49, 0x2a, 0x00])), 'tiff'],
    ['TIFF big-endian', pad(bytes([0x4d, 0x4d, 0x00, 0x2a])), 'tiff'],
    ['GIF87a', pad(bytes('GIF87a')), 'gif'],
    ['GIF89a', pad(bytes('GIF89a')), 'gif'],
    ['BMP', pad(bytes('BM', [0x36, 0x00, 0x0c, 0, 0, 0, 0, 0, 0x36, 0, 0, 0])), 'bmp'],
    ['AVIF ftyp brand', pad(bytes([0, 0, 0, 0x1c], 'ftypavif')), 'avif'],
    ['HEIC ftyp brand', pad(bytes([0, 0, 0, 0x18], 'ftypheic')), 'heif'],
    ['HEIF mif1 brand', pad(bytes([0, 0, 0, 0x18], 'ftypmif1')), 'heif'],
    ['PDF header', bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), 'pdf'],
    ['PDF after junk within 1024 bytes', bytes('x'.repeat(500), '%PDF-1.4\n'), 'pdf'],
  ])('%s → %s', (_name, head, expected) => {
    expect(sniffFormat(head)).toBe(expected);
  });

  it.each<[string, Uint8Array]>([
    ['empty', new Uint8Array(0)],
    ['plain text named .png', bytes('not an image at all\n')],
    ['truncated PNG signature', bytes([0x89], 'PN')],
    ['two JPEG bytes only', bytes([0xff, 0xd8])],
    ['RIFF that is WAVE, not WEBP', pad(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '))],
    ['MP4 ftyp brand', pad(bytes([0, 0, 0, 0x18], 'ftypisom'))],
    ['ZIP archive', pad(bytes('PK', [3, 4]))],
    ['PDF marker past the first 1024 bytes', bytes('x'.repeat(1100), '%PDF-1.4')],
    ['BM but shorter than a BMP header', bytes('BM', [1, 2])],
  ])('%s → unknown (the extension is never trusted)', (_name, head) => {
    expect(sniffFormat(head)).toBe('unknown');
  });
});
