/**
 * Inline SVG charts for the HTML report: grouped horizontal bars (per-field and per-format
 * accuracy) and grouped vertical histograms (error distribution, latency). No scripts, no
 * external resources: the markup is self-contained. Pure.
 */

/** Variant colours (colour-blind safe, Okabe–Ito). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export function esc(s: string): string {
  return s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;').replace(/'/gu, '&#39;');
}

export interface Series {
  name: string;
  values: Array<number | null>;
}

function legend(series: readonly Series[], x: number, y: number): string {
  return series
    .map((s, i) => `<rect x="${x}" y="${y + i * 16}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/>` +
      `<text x="${x + 14}" y="${y + i * 16 + 9}" font-size="11">${esc(s.name)}</text>`)
    .join('');
}

/**
 * Grouped horizontal bars, values 0..1 shown as percentages (accuracy, recall).
 * One group per category, one bar per series.
 */
export function barChart(title: string, categories: readonly string[], series: readonly Series[]): string {
  const labelW = 190;
  const plotW = 380;
  const barH = 12;
  const groupH = series.length * barH + 10;
  const top = 28;
  const height = top + categories.length * groupH + 24 + series.length * 16;
  const width = labelW + plotW + 70;
  const parts: string[] = [`<text x="0" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`];
  for (const g of [0, 0.25, 0.5, 0.75, 1]) {
    const x = labelW + g * plotW;
    parts.push(`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${top + categories.length * groupH}" stroke="#ddd"/>`,
      `<text x="${x}" y="${top + categories.length * groupH + 12}" font-size="10" text-anchor="middle">${g * 100}%</text>`);
  }
  categories.forEach((cat, ci) => {
    const gy = top + ci * groupH;
    parts.push(`<text x="${labelW - 6}" y="${gy + (series.length * barH) / 2 + 4}" font-size="11" text-anchor="end">${esc(cat)}</text>`);
    series.forEach((s, si) => {
      const v = s.values[ci];
      const y = gy + si * barH;
      if (v === null || v === undefined) {
        parts.push(`<text x="${labelW + 4}" y="${y + barH - 3}" font-size="10" fill="#888">n/a</text>`);
        return;
      }
      const w = Math.max(0, Math.min(1, v)) * plotW;
      parts.push(`<rect class="bar" x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH - 2}" fill="${PALETTE[si % PALETTE.length]}"><title>${esc(`${s.name} · ${cat}: ${(v * 100).toFixed(1)}%`)}</title></rect>`,
        `<text x="${labelW + w + 4}" y="${y + barH - 3}" font-size="10">${(v * 100).toFixed(1)}%</text>`);
    });
  });
  parts.push(legend(series, labelW, top + categories.length * groupH + 22));
  return `<svg class="chart" role="img" aria-label="${esc(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

/** A 1, 2 or 5 × 10^k step at least `raw` (at least `min`): the step of a readable axis. */
export function niceStep(raw: number, min = 0): number {
  const target = Math.max(raw, min, Number.MIN_VALUE);
  const pow = 10 ** Math.floor(Math.log10(target));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((v) => v >= target - 1e-9 * pow)!;
  return Math.max(step, min);
}

/** Ticks of a count axis from 0 to at least `max`: whole, evenly spaced numbers (about `want` of them). */
export function countTicks(max: number, want = 4): number[] {
  const step = niceStep(Math.max(1, max) / want, 1);
  const top = Math.max(step, Math.ceil(Math.max(1, max) / step) * step);
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
}

/** Grouped vertical bars of counts per bin (one bar per series in each bin). */
export function histogramChart(title: string, binLabels: readonly string[], series: ReadonlyArray<{ name: string; counts: number[] }>, xLabel: string): string {
  const left = 40;
  const plotH = 160;
  const top = 28;
  const groupW = Math.max(46, series.length * 14 + 8);
  const width = left + binLabels.length * groupW + 20;
  const height = top + plotH + 48 + series.length * 16;
  const ticks = countTicks(Math.max(0, ...series.flatMap((s) => s.counts)));
  const max = ticks[ticks.length - 1]!;
  const parts: string[] = [`<text x="0" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`];
  for (const t of ticks) {
    const y = top + plotH - (t / max) * plotH;
    parts.push(`<line x1="${left}" y1="${y}" x2="${width - 10}" y2="${y}" stroke="#ddd"/>`,
      `<text class="tick" x="${left - 4}" y="${y + 4}" font-size="10" text-anchor="end">${t}</text>`);
  }
  const barW = (groupW - 8) / Math.max(1, series.length);
  binLabels.forEach((label, bi) => {
    const gx = left + bi * groupW + 4;
    series.forEach((s, si) => {
      const c = s.counts[bi] ?? 0;
      const h = (c / max) * plotH;
      parts.push(`<rect class="bar" x="${(gx + si * barW).toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${Math.max(1, barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${PALETTE[si % PALETTE.length]}"><title>${esc(`${s.name} · ${label}: ${c}`)}</title></rect>`);
    });
    parts.push(`<text x="${gx + (groupW - 8) / 2}" y="${top + plotH + 12}" font-size="9" text-anchor="middle">${esc(label)}</text>`);
  });
  parts.push(`<text x="${left + (binLabels.length * groupW) / 2}" y="${top + plotH + 28}" font-size="11" text-anchor="middle">${esc(xLabel)}</text>`);
  parts.push(legend(series.map((s) => ({ name: s.name, values: [] })), left, top + plotH + 36));
  return `<svg class="chart" role="img" aria-label="${esc(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

/** Error-rate bins (upper bounds, fractions): 0 exactly, then ≤1 %, ≤2 %, ≤5 %, ≤10 %, ≤20 %, ≤50 %, more. */
export const ERROR_BINS = [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, Infinity];

export function errorBinLabels(): string[] {
  return ERROR_BINS.map((b, i) => (i === 0 ? '0' : b === Infinity ? '>50%' : `≤${b * 100}%`));
}

/** Counts of `values` in {@link ERROR_BINS}. */
export function binErrors(values: readonly number[]): number[] {
  const counts = ERROR_BINS.map(() => 0);
  for (const v of values) {
    const i = ERROR_BINS.findIndex((b) => v <= b + 1e-12);
    counts[i < 0 ? ERROR_BINS.length - 1 : i]!++;
  }
  return counts;
}

/**
 * Latency histogram over the union of all variants' samples: about `bins` bins of a round width (1, 2 or 5 × 10^k ms)
 * starting at a multiple of it, labelled by their upper bound in one unit for the whole axis — milliseconds, or
 * seconds when the bins are a second wide or more — which `unit` names for the axis title.
 */
export function latencyBins(series: ReadonlyArray<{ name: string; ms: number[] }>, bins = 12): { labels: string[]; counts: Array<{ name: string; counts: number[] }>; unit: 'ms' | 's' } {
  const all = series.flatMap((s) => s.ms);
  if (all.length === 0) return { labels: [], counts: [], unit: 'ms' };
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const width = niceStep((hi - lo) / bins, 1);
  const start = Math.floor(lo / width) * width;
  const n = Math.max(1, Math.floor((hi - start) / width) + 1);
  const unit = width >= 1000 ? 's' : 'ms';
  const labels = Array.from({ length: n }, (_, i) => {
    const edge = start + (i + 1) * width;
    return `≤${unit === 's' ? String(edge / 1000) : String(edge)}`;
  });
  const counts = series.map((s) => {
    const c = new Array<number>(n).fill(0);
    for (const v of s.ms) c[Math.min(n - 1, Math.max(0, Math.floor((v - start) / width)))]!++;
    return { name: s.name, counts: c };
  });
  return { labels, counts, unit };
}
