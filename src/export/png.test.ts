import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Table, encodePng, greyIfNeutral } from './png.js';

describe('encodePng', () => {
  it.each([1, 3, 4] as const)('round-trips %i-channel pixels exactly through a real decoder', async (channels) => {
    const [w, h] = [37, 11];
    const data = Buffer.alloc(w * h * channels);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 3) * 7) & 0xff;
    const png = encodePng({ data, width: w, height: h, channels });
    expect((await sharp(png).metadata()).channels).toBe(channels);
    const decoder = channels === 1 ? sharp(png).toColourspace('b-w') : sharp(png);
    const back = await decoder.raw().toBuffer({ resolveWithObject: true });
    expect([back.info.width, back.info.height, back.info.channels]).toEqual([w, h, channels]);
    expect(back.data.equals(data)).toBe(true);
  });

  it('refuses an empty image', async () => {
    expect(() => encodePng({ data: Buffer.alloc(0), width: 0, height: 3, channels: 1 })).toThrow('Cannot encode an empty 0×3 image');
  });

  it.each([
    ['', 0],
    ['IEND', 0xae426082],
    ['123456789', 0xcbf43926],
  ])('crc32(%j) = %i (native and table)', (s, want) => {
    expect(crc32(Buffer.from(s, 'latin1'))).toBe(want);
    expect(crc32Table([Buffer.from(s, 'latin1')])).toBe(want);
    expect(crc32(Buffer.from(s.slice(0, 2), 'latin1'), Buffer.from(s.slice(2), 'latin1'))).toBe(want);
  });
});

describe('greyIfNeutral', () => {
  it('stores neutral RGB as grey and leaves coloured crops alone', () => {
    const neutral = { data: Buffer.from([10, 10, 10, 200, 200, 200]), width: 2, height: 1, channels: 3 as const };
    expect(greyIfNeutral(neutral)).toEqual({ data: Buffer.from([10, 200]), width: 2, height: 1, channels: 1 });
    const coloured = { ...neutral, data: Buffer.from([10, 10, 10, 200, 201, 200]) };
    expect(greyIfNeutral(coloured)).toBe(coloured);
  });
});
