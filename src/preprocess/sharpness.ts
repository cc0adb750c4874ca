import type { Gray } from './gray.js';

/**
 * Blur estimate from the ratio of Laplacian to gradient energy, measured only near edges.
 * For a Gaussian-blurred step edge E[∇²I²] / E[|∇I|²] ≈ 1 / (2σ²) (plus the pixel grid's own sharpness),
 * so σ ≈ sqrt(E[|∇I|²] / (2·E[∇²I²])) does not depend on contrast or on how much text the page has.
 */
export function measureSharpness(g: Gray): { laplacianVar: number; blurSigma: number } {
  const { width: w, height: h, data } = g;
  if (w < 3 || h < 3) return { laplacianVar: 0, blurSigma: 0 };
  let lapSum = 0;
  let lapSq = 0;
  let n = 0;
  // Edge pixels: gradient above a fraction of the strongest gradients.
  const grad = new Float32Array(w * h);
  const lap = new Float32Array(w * h);
  let gmax = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const c = data[i];
      const l = data[i - 1];
      const r = data[i + 1];
      const u = data[i - w];
      const d = data[i + w];
      const L = l + r + u + d - 4 * c;
      lapSum += L;
      lapSq += L * L;
      n++;
      const gx = (r - l) / 2;
      const gy = (d - u) / 2;
      const g2 = gx * gx + gy * gy;
      grad[i] = g2;
      lap[i] = L * L;
      if (g2 > gmax) gmax = g2;
    }
  }
  const mean = lapSum / n;
  const laplacianVar = lapSq / n - mean * mean;
  // Sum both energies over an edge neighbourhood: pixels whose gradient is at least 1/16 of the max² scale.
  const tEdge = gmax / 64;
  let eg = 0;
  let el = 0;
  for (let i = 0; i < grad.length; i++) {
    if (grad[i] > tEdge) {
      eg += grad[i];
      el += lap[i];
    }
  }
  const blurSigma = el > 0 ? Math.sqrt(eg / (2 * el)) : 0;
  return { laplacianVar, blurSigma };
}

/**
 * Noise sigma (grey levels) from Immerkær's Laplacian-difference mask, robust version: the median absolute
 * response (text edges are a minority of pixels, so they do not move the median), divided by 0.6745 (Gaussian
 * MAD) and by 6 (the mask's L2 norm).
 */
export function estimateNoise(g: Gray): number {
  const { width: w, height: h, data } = g;
  if (w < 3 || h < 3) return 0;
  const hist = new Uint32Array(16 * 255 + 1);
  let n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const v =
        data[i - w - 1] - 2 * data[i - w] + data[i - w + 1] - 2 * data[i - 1] + 4 * data[i] - 2 * data[i + 1] + data[i + w - 1] - 2 * data[i + w] + data[i + w + 1];
      hist[Math.abs(v)]++;
      n++;
    }
  }
  let acc = 0;
  let med = 0;
  for (let k = 0; k < hist.length; k++) {
    acc += hist[k];
    if (acc >= n / 2) {
      med = k;
      break;
    }
  }
  return med / 0.6745 / 6;
}
