import { describe, expect, it } from 'vitest';
import type { Gray } from './gray.js';
import { QUALITY_LIMITS, estimateNoise, isTooSmall, measureSharpness, scoreQuality, tooSmallQuality, type QualityMetrics } from './quality.js';

/** A clean scan's measurements (analysis scale 0.5: text 24 px in the original). */
const CLEAN: QualityMetrics = {
  laplacianVar: 900,
  blurSigma: 0.4,
  brightness: 0.9,
  paper: 0.97,
  ink: 0.1,
  clipped: 0.3,
  noise: 1,
  textHeight: 12,
  glyphs: 800,
  unevenness: 0.02,
};
const geometry = { skewDeg: 0, rotation: 0 };

describe('scoreQuality', () => {
  it.each<[string, Partial<QualityMetrics>, { skewDeg?: number; rotation?: number }, string[]]>([
    ['clean scan', {}, {}, []],
    ['blurred: sigma 1.2 px on 12 px text', { blurSigma: 1.2 }, {}, ['blurry']],
    ['blur also lightens ink: blurry, not too_bright', { blurSigma: 1.2, ink: 0.7 }, {}, ['blurry']],
    ['underexposed', { paper: 0.3, ink: 0.05, clipped: 0 }, {}, ['too_dark']],
    ['washed out', { ink: 0.7 }, {}, ['too_bright']],
    ['washed out and faint', { ink: 0.75 }, {}, ['too_bright', 'low_contrast']],
    ['faint print', { paper: 0.8, ink: 0.6, clipped: 0 }, {}, ['low_contrast']],
    ['glare on a dim page', { paper: 0.75, clipped: 0.05 }, {}, ['glare']],
    ['clipped white paper of a scan is not glare', { paper: 0.99, clipped: 0.9 }, {}, []],
    ['tiny text', { textHeight: 3.5, blurSigma: 0.2 }, {}, ['low_resolution']],
    ['skewed and turned (reported, not penalised much)', {}, { skewDeg: -7.2, rotation: 90 }, ['skewed', 'rotated']],
    ['sensor noise', { noise: 15 }, {}, ['noisy']],
    ['a shadow over half the page', { unevenness: 0.5, paper: 0.75, clipped: 0.3 }, {}, ['uneven_light']],
    ['a glare spot on evenly lit paper', { unevenness: 0.05, paper: 0.75, clipped: 0.04 }, {}, ['glare']],
    ['blank page', { glyphs: 3, textHeight: 0 }, {}, ['no_text']],
  ])('%s', (_n, m, g, issues) => {
    const q = scoreQuality({ ...CLEAN, ...m }, 0.5, { ...geometry, ...g });
    expect(q.issues).toEqual(issues);
    if (issues.length === 0 || issues.every((i) => i === 'skewed' || i === 'rotated')) expect(q.score).toBeGreaterThan(0.7);
    else expect(q.score).toBeLessThan(0.7);
  });

  it('fills the record fields in their units', () => {
    const q = scoreQuality(CLEAN, 0.5, { skewDeg: 2.04, rotation: 0 });
    expect(q).toMatchObject({ score: 1, blur: 900, brightness: 0.9, contrast: 0.87, skewDeg: 2, rotation: 0, textHeightPx: 24 });
  });

  it('the score falls monotonically with blur', () => {
    const s = [0.4, 0.8, 1.0, 1.4, 2].map((b) => scoreQuality({ ...CLEAN, blurSigma: b }, 0.5, geometry).score);
    for (let i = 1; i < s.length; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
    expect(s[s.length - 1]).toBeLessThan(0.3);
  });
});

/** Dark bars 8 px wide every 16 px on light paper, blurred with a Gaussian of `sigma` (analytically, via erf). */
function edges(sigma: number, contrast = 200): Gray {
  const w = 128;
  const h = 32;
  const erf = (x: number) => {
    const t = 1 / (1 + 0.3275911 * Math.abs(x));
    const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
    return x >= 0 ? y : -y;
  };
  const step = (d: number) => (sigma > 0 ? 0.5 * (1 + erf(d / (sigma * Math.SQRT2))) : d > 0 ? 1 : 0);
  const data = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    let ink = 0;
    for (let k = -1; k <= w / 16; k++) ink += step(x + 0.5 - (16 * k + 4)) - step(x + 0.5 - (16 * k + 12));
    for (let y = 0; y < h; y++) data[y * w + x] = Math.round(228 - contrast * ink);
  }
  return { data, width: w, height: h };
}

describe('measureSharpness', () => {
  // Bars 8 px apart merge beyond sigma ≈ 2: that is where the estimate saturates.
  it.each([0.7, 1, 1.5, 2])('recovers a Gaussian blur of sigma %s px within 35%%', (sigma) => {
    const est = measureSharpness(edges(sigma)).blurSigma;
    expect(Math.abs(est - sigma) / sigma).toBeLessThan(0.35);
  });

  it('does not depend on contrast', () => {
    const a = measureSharpness(edges(2, 200)).blurSigma;
    const b = measureSharpness(edges(2, 40)).blurSigma;
    expect(Math.abs(a - b)).toBeLessThan(0.1);
  });

  it('a flat image has no edges', () => {
    expect(measureSharpness({ data: new Uint8Array(100).fill(9), width: 10, height: 10 })).toEqual({ laplacianVar: 0, blurSigma: 0 });
  });
});

describe('estimateNoise', () => {
  it.each([5, 10, 20])('estimates Gaussian noise of sigma %s within 20%%', (sigma) => {
    let a = 12345;
    const rand = () => ((a = (a * 1103515245 + 12345) & 0x7fffffff) + 1) / 0x80000000;
    const w = 256;
    const data = new Uint8Array(w * w);
    for (let i = 0; i < data.length; i++) {
      const n = Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());
      data[i] = Math.max(0, Math.min(255, Math.round(128 + sigma * n)));
    }
    const est = estimateNoise({ data, width: w, height: w });
    expect(Math.abs(est - sigma) / sigma).toBeLessThan(0.2);
  });

  it('is zero on a flat image and ignores a few sharp text edges', () => {
    expect(estimateNoise({ data: new Uint8Array(64 * 64).fill(200), width: 64, height: 64 })).toBe(0);
    expect(estimateNoise(edges(0))).toBeLessThan(QUALITY_LIMITS.noisySigma);
  });
});

describe('isTooSmall / tooSmallQuality', () => {
  it.each([
    [1, 1, true], [8, 8, true], [300, 2, true], [2, 300, true], [4000, 8, true],
    [9, 9, false], [4000, 12, false], [640, 480, false],
  ])('%i×%i too small: %s', (width, height, small) => {
    expect(isTooSmall({ width, height })).toBe(small);
  });

  it('scores 0 with issues too_small and no_text, and the page brightness', () => {
    const page = { data: Buffer.from([255, 255, 255, 0, 0, 0]), width: 2, height: 1, channels: 3 as const, page: null };
    const q = tooSmallQuality(page);
    expect(q).toMatchObject({ score: 0, issues: ['too_small', 'no_text'], brightness: 0.5, rotation: 0 });
  });

  it('ignores the alpha channel', () => {
    const page = { data: Buffer.from([255, 255, 255, 0]), width: 1, height: 1, channels: 4 as const, page: null };
    expect(tooSmallQuality(page).brightness).toBe(1);
  });
});
