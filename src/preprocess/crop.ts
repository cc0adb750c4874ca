/** An axis-aligned rectangle, exclusive right/bottom. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Margin kept around the text, in text heights. */
export const CROP_MARGIN_TEXT_HEIGHTS = 2.5;
/** Crop only when it removes at least this share of the page (smaller gains are not worth a resample). */
export const MIN_CROP_GAIN = 0.12;
/** A glyph counts as text when a similar-sized glyph sits beside it on the same line within this many text heights. */
const LINE_NEIGHBOUR_GAP = 1.5;

/**
 * Region of a page that holds its text: the union of glyph boxes that have a same-line neighbour of similar
 * height (isolated specks and background clutter rarely do), grown by a margin. Null when there is no text
 * or when cropping would gain less than MIN_CROP_GAIN of the area.
 * @param boxes glyph boxes in the (already upright) page's pixels
 * @param textHeight median glyph height in the same pixels
 */
export function textRegion(boxes: Rect[], textHeight: number, width: number, height: number, minGain = MIN_CROP_GAIN): Rect | null {
  if (boxes.length === 0 || textHeight <= 0) return null;
  const sorted = boxes.map((b, i) => ({ ...b, i })).sort((a, b) => a.x0 - b.x0);
  const inLine = new Uint8Array(boxes.length);
  const gap = textHeight * LINE_NEIGHBOUR_GAP;
  for (let a = 0; a < sorted.length; a++) {
    const A = sorted[a];
    const ha = A.y1 - A.y0;
    if (ha < textHeight * 0.3 || ha > textHeight * 3) continue;
    for (let b = a + 1; b < sorted.length && sorted[b].x0 <= A.x1 + gap; b++) {
      const B = sorted[b];
      const hb = B.y1 - B.y0;
      if (hb < textHeight * 0.3 || hb > textHeight * 3) continue;
      const overlap = Math.min(A.y1, B.y1) - Math.max(A.y0, B.y0);
      if (overlap >= 0.5 * Math.min(ha, hb)) {
        inLine[A.i] = 1;
        inLine[B.i] = 1;
      }
    }
  }
  let r: Rect | null = null;
  for (let i = 0; i < boxes.length; i++) {
    if (!inLine[i]) continue;
    const b = boxes[i];
    r = r ? { x0: Math.min(r.x0, b.x0), y0: Math.min(r.y0, b.y0), x1: Math.max(r.x1, b.x1), y1: Math.max(r.y1, b.y1) } : { ...b };
  }
  if (!r) return null;
  const m = textHeight * CROP_MARGIN_TEXT_HEIGHTS;
  const out = {
    x0: Math.max(0, Math.floor(r.x0 - m)),
    y0: Math.max(0, Math.floor(r.y0 - m)),
    x1: Math.min(width, Math.ceil(r.x1 + m)),
    y1: Math.min(height, Math.ceil(r.y1 + m)),
  };
  const kept = ((out.x1 - out.x0) * (out.y1 - out.y0)) / (width * height);
  return kept <= 1 - minGain ? out : null;
}
