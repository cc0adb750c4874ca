import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { insideFolder, parseBoxFile, readDataset } from './dataset.js';

describe('parseBoxFile', () => {
  it('reads transcripts that contain commas, skips blank lines and a BOM', () => {
    expect(parseBoxFile('\ufeff1,2,3,2,3,4,1,4,NO. 343, JALAN KURAU\r\n\n5,6,7,6,7,8,5,8,TOTAL\n')).toEqual([
      { coords: [1, 2, 3, 2, 3, 4, 1, 4], text: 'NO. 343, JALAN KURAU' },
      { coords: [5, 6, 7, 6, 7, 8, 5, 8], text: 'TOTAL' },
    ]);
  });

  it.each([
    ['1,2,3,4,5,6,7', 'row 1: expected x1,y1,x2,y2,x3,y3,x4,y4,transcript, got "1,2,3,4,5,6,7"'],
    ['\n1,2,3,x,5,6,7,8,TOTAL', 'row 2: expected x1,y1,x2,y2,x3,y3,x4,y4,transcript, got "1,2,3,x,5,6,7,8,TOTAL"'],
    ['1,2,,4,5,6,7,8,T', 'row 1: expected x1,y1,x2,y2,x3,y3,x4,y4,transcript, got "1,2,,4,5,6,7,8,T"'],
  ])('marks the malformed row %j and goes on', (content, message) => {
    const rows = parseBoxFile(`${content}\n1,1,9,1,9,5,1,5,NEXT`);
    expect(rows.map((r) => r.error)).toEqual([message, undefined]);
    expect(rows[1].text).toBe('NEXT');
  });

  it('reads 8 numbers without a transcript as an empty label', () => {
    expect(parseBoxFile('1,2,3,2,3,4,1,4')).toEqual([{ coords: [1, 2, 3, 2, 3, 4, 1, 4], text: '' }]);
  });
});

describe('insideFolder', () => {
  it.each(['../etc/passwd', '/etc/passwd', 'img/../../x.jpg'])('refuses %j', (p) => {
    expect(() => insideFolder('/data/set', p, 'image')).toThrow(`image ${JSON.stringify(p)} resolves outside /data/set`);
  });

  it('accepts a path inside', () => {
    expect(insideFolder('/data/set', 'img/001.jpg', 'image')).toBe('/data/set/img/001.jpg');
  });
});

describe('readDataset', () => {
  it('reads box/ + img/ folders, line-image manifests and .gt.txt pairs; degenerate boxes are marked', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'zk-ds-'));
    const boxes = path.join(root, 'boxes');
    await mkdir(path.join(boxes, 'box'), { recursive: true });
    await mkdir(path.join(boxes, 'img'), { recursive: true });
    await writeFile(path.join(boxes, 'box', 'a.csv'), '1,1,9,1,9,5,1,5,HELLO\n0,0,0,0,0,0,0,0,BAD\n');
    await writeFile(path.join(boxes, 'img', 'a.jpg'), 'x');
    const docs = await readDataset(boxes);
    expect(docs.map((d) => [d.file, d.lines.length])).toEqual([['img/a.jpg', 2]]);
    expect(docs[0].lines[1].invalid).toBe('The quad has no area (its corners are collinear)');

    const lines = path.join(root, 'lines');
    await mkdir(lines);
    await writeFile(path.join(lines, 'manifest.jsonl'), '{"image":"l1.png","text":"ONE"}\n{"image":"l2.png","gt_file":"l2.gt.txt"}\n');
    await writeFile(path.join(lines, 'l2.gt.txt'), 'TWO\n');
    const ld = await readDataset(lines);
    expect(ld.map((d) => [d.file, d.lines[0].text, d.lines[0].quad])).toEqual([['l1.png', 'ONE', null], ['l2.png', 'TWO\n', null]]);

    const pairs = path.join(root, 'pairs');
    await mkdir(pairs);
    await writeFile(path.join(pairs, 'x.png'), 'x');
    await writeFile(path.join(pairs, 'x.gt.txt'), 'EX');
    await writeFile(path.join(pairs, 'y.jpg'), 'x');
    await writeFile(path.join(pairs, 'y.jpg.gt.txt'), 'WHY');
    expect((await readDataset(pairs)).map((d) => [d.file, d.lines[0].text])).toEqual([['x.png', 'EX'], ['y.jpg', 'WHY']]);

    const holes = path.join(root, 'holes');
    await mkdir(holes);
    await writeFile(path.join(holes, 'manifest.jsonl'), '{"image":"a.jpg","box_file":"missing.csv"}\n{"image":"b.jpg","text":"B"}\n');
    const hd = await readDataset(holes);
    expect(hd.map((d) => [d.file, d.lines.length, d.problem?.split(':')[0]])).toEqual([['a.jpg', 0, 'cannot read missing.csv'], ['b.jpg', 1, undefined]]);

    const evil = path.join(root, 'evil');
    await mkdir(evil);
    await writeFile(path.join(evil, 'manifest.jsonl'), '{"image":"../pairs/x.png","text":"X"}\n');
    await expect(readDataset(evil)).rejects.toThrow('resolves outside');
  });
});
