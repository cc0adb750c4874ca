import { describe, expect, it } from 'vitest';
import { CLS_SAMPLE, classifyPage, clsCrop, orientLines } from './cls.js';
import type { ModelSession } from './session.js';

const o = (...p: number[]) => p.map((p180) => ({ p180 }));

describe('orientLines', () => {
  it.each([
    [o(), false, []],
    [o(0.99), true, [false]],
    [o(0.6), false, [true]],
    [o(0.3), false, [true]],
    [o(0.02), false, [false]],
    [o(0.95, 0.92, 0.02), true, [false, false, true]],
    [o(0.95, 0.02, 0.01), false, [true, false, false]],
    [o(0.95, 0.5, 0.3), true, [false, false, true]],
    [o(0.95, 0.03, 0.7, 0.3), false, [true, false, true, false]],
  ])('%j → upside down %s, unsure %j', (orients, upsideDown, unsure) => {
    expect(orientLines(orients, 0.9)).toEqual({ upsideDown, unsure });
  });
});

describe('clsCrop', () => {
  it('squeezes wide crops to 192 columns and keeps narrow ones', () => {
    const wide = { data: new Uint8Array(400 * 48 * 3), width: 400, height: 48 };
    const narrow = { data: new Uint8Array(100 * 48 * 3), width: 100, height: 48 };
    expect(clsCrop(wide).width).toBe(192);
    expect(clsCrop(narrow)).toBe(narrow);
  });

  it('rejects a crop of the wrong height', () => {
    expect(() => clsCrop({ data: new Uint8Array(30), width: 10, height: 1 })).toThrow('Expected a 48-row crop for the classifier, got 1');
  });
});

describe('classifyPage', () => {
  /** A fake classifier whose p180 per crop is read from the crop's first byte (/100); it counts the crops it saw. */
  function fakeSession() {
    const seen = { crops: 0 };
    const session = {
      run: async (data: Float32Array, dims: number[]) => {
        const [n, , h, w] = dims;
        seen.crops += n;
        const out = new Float32Array(n * 2);
        // cropsToTensor normalises bytes to (v / 255 - 0.5) / 0.5; undo it for the first pixel of each crop.
        for (let i = 0; i < n; i++) out[i * 2 + 1] = Math.round(((data[i * 3 * h * w] * 0.5 + 0.5) * 255)) / 100;
        return { data: out, dims: [n, 2] };
      },
    } as unknown as ModelSession;
    return { session, seen };
  }
  const crop = (p180: number, width: number) => ({ data: new Uint8Array(width * 48 * 3).fill(Math.round(p180 * 100)), width, height: 48 });

  it('stops after the widest lines when they are all confidently upright', async () => {
    const { session, seen } = fakeSession();
    const crops = Array.from({ length: 40 }, (_, i) => crop(0.02, 20 + i));
    const out = await classifyPage(session, crops, 0.9);
    expect(seen.crops).toBe(CLS_SAMPLE);
    expect(out.filter((o) => o !== undefined)).toHaveLength(CLS_SAMPLE);
    expect(out.slice(40 - CLS_SAMPLE).every((o) => o !== undefined)).toBe(true); // the widest ones
    expect(orientLines(out, 0.9)).toEqual({ upsideDown: false, unsure: crops.map(() => false) });
  });

  it('classifies every line when one of the sample is not sure', async () => {
    const { session, seen } = fakeSession();
    const crops = Array.from({ length: 40 }, (_, i) => crop(i === 39 ? 0.95 : 0.02, 20 + i));
    const out = await classifyPage(session, crops, 0.9);
    expect(seen.crops).toBe(40);
    expect(out.every((o) => o !== undefined)).toBe(true);
  });

  it('classifies small pages whole', async () => {
    const { session, seen } = fakeSession();
    await classifyPage(session, [crop(0.02, 50), crop(0.3, 60)], 0.9);
    expect(seen.crops).toBe(2);
  });
});
