import { describe, expect, it } from 'vitest';
import { candidatePaths } from './image.js';

describe('candidatePaths', () => {
  it('tries the images root, the cwd and the results folder, in that order', () => {
    expect(candidatePaths('/abs/x.png', '/r/results.jsonl', '/img')).toEqual(['/abs/x.png']);
    expect(candidatePaths('a/x.png', '/r/results.jsonl', '/img')).toEqual(['/img/a/x.png', `${process.cwd()}/a/x.png`, '/r/a/x.png']);
  });
});
