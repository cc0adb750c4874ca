import { describe, expect, it } from 'vitest';
import type { Quad } from '../core/types.js';
import { boxToQuad, mergeRows, quadToBox, rowEngine, type Segment } from './merge.js';

const box = (x: number, y: number, w: number, h: number): Quad => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
const seg = (text: string, q: Quad, confidence: number, engine = 'paddle', charConfidences?: number[]): Segment => ({ text, quad: q, confidence, engine, charConfidences });

describe('mergeRows', () => {
  it('joins a row with spaces, unions boxes, weights confidence by characters, names every engine', () => {
    const segments = [seg('TOTAL', box(10, 100, 60, 20), 0.9), seg('12.50', box(200, 102, 50, 20), 0.6, 'tesseract')];
    const [line] = mergeRows(segments, [[0, 1]]);
    expect(line.text).toBe('TOTAL 12.50');
    expect(line.box).toEqual([10, 100, 240, 22]);
    expect(line.confidence).toBeCloseTo((5 * 0.9 + 5 * 0.6) / 10, 4);
    expect(line.engine).toBe('paddle+tesseract');
    expect(line.quad).toEqual([[10, 100], [250, 102], [250, 122], [10, 120]]);
  });

  it('drops empty segments and empty rows, keeps row order', () => {
    const segments = [seg('', box(0, 0, 10, 10), 0), seg('b', box(0, 50, 10, 10), 0.8), seg('a', box(0, 20, 10, 10), 0.7)];
    expect(mergeRows(segments, [[0], [2], [1]]).map((l) => l.text)).toEqual(['a', 'b']);
  });

  it('carries per-character confidences with one for each joining space', () => {
    const segments = [seg('ab', box(0, 0, 20, 10), 0.9, 'paddle', [0.95, 0.85]), seg('c', box(40, 0, 10, 10), 0.5, 'paddle', [0.5])];
    expect(mergeRows(segments, [[0, 1]])[0].charConfidences).toEqual([0.95, 0.85, 0.5, 0.5]);
  });

  it('leaves per-character confidences out when a segment has none', () => {
    const segments = [seg('ab', box(0, 0, 20, 10), 0.9, 'paddle', [0.95, 0.85]), seg('c', box(40, 0, 10, 10), 0.5, 'tesseract')];
    expect(mergeRows(segments, [[0, 1]])[0].charConfidences).toBeUndefined();
  });

  it.each([
    [['paddle'], 'paddle'],
    [['paddle', 'paddle'], 'paddle'],
    [['tesseract', 'paddle', 'tesseract'], 'tesseract+paddle'],
  ])('rowEngine(%j) = %s', (engines, name) => {
    expect(rowEngine(engines)).toBe(name);
  });
});

describe('quadToBox / boxToQuad', () => {
  it('quadToBox rounds outwards', () => {
    expect(quadToBox([[0.4, 1.6], [10.2, 1.2], [10.7, 5.1], [0.2, 5.5]])).toEqual([0, 1, 11, 5]);
  });

  it('boxToQuad gives the corners clockwise from top-left, and back', () => {
    expect(boxToQuad([2, 3, 10, 4])).toEqual([[2, 3], [12, 3], [12, 7], [2, 7]]);
    expect(quadToBox(boxToQuad([2, 3, 10, 4]))).toEqual([2, 3, 10, 4]);
  });
});
