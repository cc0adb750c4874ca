import { mkdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExportFormat } from './types.js';
import { SPLITS, type Split } from './split.js';

/**
 * Output layouts. Each writer places crops under a folder per split; `finish` writes the label
 * index files from the entries the runner passes in its deterministic (source) order.
 *
 * - tesstrain: `<split>/NAME.png` + `<split>/NAME.gt.txt` (one line, UTF-8); each split folder is a
 *   GROUND_TRUTH_DIR for `make training` (train) or evaluation (val/test).
 * - paddle: `<split>/NAME.png`, `rec_gt_<split>.txt` with `<split>/NAME.png<TAB>label` per line
 *   (paths relative to the output folder = PaddleOCR's `data_dir`), and `dict.txt`: one character
 *   per line covering every label character except the space (set `use_space_char: true`).
 * - hf: Hugging Face image folder: `train/`, `validation/`, `test/`, each with the images and a
 *   `metadata.jsonl` of `{"file_name": "NAME.png", "text": label}`.
 */

export interface WriterItem {
  name: string;
  split: Split;
  label: string;
  png: Buffer;
}

/** One line of the label index, in commit order. */
export interface IndexEntry {
  split: Split;
  /** Image path relative to the output root (posix separators). */
  rel: string;
  label: string;
}

export interface ExportWriter {
  readonly format: ExportFormat;
  /** Folder of a split, relative to the output root. */
  splitDir(split: Split): string;
  /** Where a crop goes, relative to the output root (posix separators). */
  imagePath(name: string, split: Split): string;
  /** Every file `add` writes for a line, relative to the output root. */
  filesOf(name: string, split: Split): string[];
  /**
   * Writes one crop (and, for tesstrain, its `.gt.txt`), synchronously: it runs on export worker
   * threads, where blocking costs nothing and saves the thread-pool round trips of async writes.
   */
  add(item: WriterItem): void;
  /** Writes the index files for the entries, in the given order; resolves with their relative paths. */
  finish(entries: IndexEntry[], charset: string[]): Promise<string[]>;
}

abstract class BaseWriter implements ExportWriter {
  abstract readonly format: ExportFormat;
  private readonly made = new Set<string>();

  constructor(protected readonly root: string) {}

  splitDir(split: Split): string {
    return split;
  }

  imagePath(name: string, split: Split): string {
    return `${this.splitDir(split)}/${name}.png`;
  }

  filesOf(name: string, split: Split): string[] {
    return [this.imagePath(name, split)];
  }

  private ensureDir(rel: string): void {
    if (this.made.has(rel)) return;
    mkdirSync(path.join(this.root, rel), { recursive: true });
    this.made.add(rel);
  }

  add(item: WriterItem): void {
    const dir = this.splitDir(item.split);
    this.ensureDir(dir);
    for (const f of this.files(item)) writeFileSync(path.join(this.root, f.rel), f.data);
  }

  /** The files of one line: the crop, plus whatever the layout keeps beside it. */
  protected files(item: WriterItem): Array<{ rel: string; data: Buffer | string }> {
    return [{ rel: this.imagePath(item.name, item.split), data: item.png }];
  }

  abstract finish(entries: IndexEntry[], charset: string[]): Promise<string[]>;
}

class TesstrainWriter extends BaseWriter {
  readonly format = 'tesstrain' as const;

  override filesOf(name: string, split: Split): string[] {
    return [this.imagePath(name, split), `${this.splitDir(split)}/${name}.gt.txt`];
  }

  protected override files(item: WriterItem): Array<{ rel: string; data: Buffer | string }> {
    return [...super.files(item), { rel: `${this.splitDir(item.split)}/${item.name}.gt.txt`, data: `${item.label}\n` }];
  }

  async finish(): Promise<string[]> {
    return [];
  }
}

class PaddleWriter extends BaseWriter {
  readonly format = 'paddle' as const;

  async finish(entries: IndexEntry[], charset: string[]): Promise<string[]> {
    const files: string[] = [];
    for (const split of SPLITS) {
      const rows = entries.filter((e) => e.split === split).map((e) => `${e.rel}\t${e.label}\n`);
      const name = `rec_gt_${split}.txt`;
      await writeFile(path.join(this.root, name), rows.join(''), 'utf8');
      files.push(name);
    }
    // PaddleOCR adds the space itself with `use_space_char: true`; a space line in the dict would be a duplicate class.
    const dict = charset.filter((c) => c !== ' ');
    await writeFile(path.join(this.root, 'dict.txt'), dict.map((c) => `${c}\n`).join(''), 'utf8');
    files.push('dict.txt');
    return files;
  }
}

/** Hugging Face names the validation split `validation`. */
const HF_SPLIT_DIR: Record<Split, string> = { train: 'train', val: 'validation', test: 'test' };

class HfWriter extends BaseWriter {
  readonly format = 'hf' as const;

  override splitDir(split: Split): string {
    return HF_SPLIT_DIR[split];
  }

  async finish(entries: IndexEntry[]): Promise<string[]> {
    const files: string[] = [];
    for (const split of SPLITS) {
      const rows = entries.filter((e) => e.split === split);
      if (rows.length === 0) continue;
      const rel = `${this.splitDir(split)}/metadata.jsonl`;
      const body = rows.map((e) => JSON.stringify({ file_name: path.posix.basename(e.rel), text: e.label }) + '\n').join('');
      await writeFile(path.join(this.root, rel), body, 'utf8');
      files.push(rel);
    }
    return files;
  }
}

/** Writers by format name. */
export const writerFactories = {
  tesstrain: (root: string): ExportWriter => new TesstrainWriter(root),
  paddle: (root: string): ExportWriter => new PaddleWriter(root),
  hf: (root: string): ExportWriter => new HfWriter(root),
} satisfies Record<ExportFormat, (root: string) => ExportWriter>;
